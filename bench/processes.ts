/**
 * The benchmark's processes: its servers (bench/servers.ts), the product's own `scribe-proxy
 * serve` and the Go peer, each started under `taskset -c N`, so that every thread it ever has
 * (the main thread, GC and compiler helpers, libuv's pool; goroutines' threads) runs on that CPU
 * and its CPU time is the process's own, not borrowed from the load generator's core.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNginx, writeNginxConfig } from './nginxUpstream.js';

const serversJs = fileURLToPath(new URL('./servers.js', import.meta.url));

function canPin(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return cpus().length >= 2;
  } catch {
    return false;
  }
}
export const pinning = canPin();
/** Pin every thread of a running process (the benchmark itself, which runs wrk) to `cpu`. */
export function pin(pid: number | undefined, cpu: number): void {
  if (pinning && pid)
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** `command args` as started on `cpu`: under `taskset -c`, which every later thread inherits. */
function pinned(cpu: number, command: string, args: string[]): [string, string[]] {
  return pinning ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

// Whatever the benchmark started ends with it, also when it fails half-way (a `serve` left
// behind would keep its CPU busy and its ports taken).
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null) child.kill();
});
function tracked(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

export interface Server {
  child: ChildProcess;
  url: string;
  ask<T>(message: string): Promise<T>;
}

/** A bench/servers.ts server of `kind` on `cpu` (`script`: another build's servers.js). */
export async function startServer(
  kind: string,
  cpu: number,
  upstream = '',
  env: Record<string, string> = {},
  script = serversJs,
): Promise<Server> {
  // taskset execs node in place: the child's pid is node's, and the IPC channel survives.
  const [command, args] = pinned(cpu, process.execPath, [script, kind, upstream]);
  const child = tracked(
    spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${kind} exited (${code})`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    ask: <T>(message: string) =>
      new Promise<T>((resolve) => {
        child.once('message', (m) => resolve(m as T));
        child.send(message);
      }),
  };
}

/**
 * awslabs' aws-sigv4-proxy (Go): AWS_SIGV4_PROXY, else shared/peers beside the checkout (a
 * checkout at /work/main, or a worktree one level deeper at /work/wt/NAME).
 */
export const goPeerPath =
  process.env['AWS_SIGV4_PROXY'] ??
  ['../../../shared/peers/aws-sigv4-proxy', '../../../../shared/peers/aws-sigv4-proxy']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((path) => existsSync(path)) ??
  fileURLToPath(new URL('../../../shared/peers/aws-sigv4-proxy', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The Go peer signing for the same upstream with static credentials, on `cpu`. */
export async function startGoPeer(upstreamUrl: string, cpu: number): Promise<Server> {
  const port = await freePort();
  const [command, args] = pinned(cpu, goPeerPath, [
    '--port',
    `127.0.0.1:${port}`,
    '--name',
    'execute-api',
    '--region',
    'eu-west-2',
    '--host',
    new URL(upstreamUrl).host,
    '--upstream-url-scheme',
    'http',
  ]);
  const child = tracked(
    spawn(command, args, {
      env: {
        AWS_ACCESS_KEY_ID: 'ASIABENCHMARKKEY0001',
        AWS_SECRET_ACCESS_KEY: 'benchmark/secret/key/0123456789abcdefghij',
        AWS_SESSION_TOKEN: 'benchmark-session-token-'.repeat(20),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('Listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`aws-sigv4-proxy exited (${code}): ${text}`)));
  });
  child.stderr?.resume();
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    ask: () => Promise.reject(new Error('the Go peer reports nothing')),
  };
}

/** The upstream the load runs against, and what it is (for the results' header). */
export interface Upstream extends Server {
  kind: 'nginx' | 'node';
  /** One line for the results: which server answered, and why (the fallback says how to install nginx). */
  note: string;
}

/**
 * The benchmark's upstream on `cpu`: nginx with its echo module where installed
 * (bench/nginxUpstream.ts: cheap enough per 64 KiB POST that the POST workload can be valid),
 * else the Node one (bench/fastUpstream.ts), with a note saying so. BENCH_UPSTREAM=node forces
 * the Node one.
 */
export async function startUpstream(cpu: number): Promise<Upstream> {
  const found = process.env['BENCH_UPSTREAM'] === 'node' ? undefined : findNginx();
  if (!found) {
    const server = await startServer('upstream', cpu);
    const why =
      process.env['BENCH_UPSTREAM'] === 'node'
        ? 'BENCH_UPSTREAM=node'
        : 'nginx or its echo module is not installed (apt-get install -y nginx libnginx-mod-http-echo)';
    process.stderr.write(`notice: the upstream is the Node one (${why})\n`);
    return {
      ...server,
      kind: 'node',
      note: `the Node upstream (bench/fastUpstream.ts), because ${why}: on 64 KiB POSTs it and wrk cost CPU 1 more than half what bare-node costs CPU 0, so that workload is likely INVALID`,
    };
  }
  const port = await freePort();
  const prefix = writeNginxConfig({ echoModule: found.echoModule, port });
  const [command, args] = pinned(cpu, found.nginx, [
    '-p',
    prefix,
    '-c',
    join(prefix, 'nginx.conf'),
    '-e',
    'stderr',
  ]);
  const child = tracked(spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] }));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await answers(`${url}/v1/ready`))) {
    if (exited !== undefined) throw new Error(`nginx exited (${exited}); its prefix: ${prefix}`);
    if (Date.now() > deadline) throw new Error(`nginx did not answer; its prefix: ${prefix}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    url,
    ask: () => Promise.reject(new Error('nginx reports nothing over IPC')),
    kind: 'nginx',
    note: `nginx (${found.nginx}, one process, its echo module reading each body under 100,000 bytes whole before answering; bench/nginxUpstream.ts)`,
  };
}

/** Whether `url` answers 200 (the admin listener's /readyz: the session logged in). */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

/** The command as shipped: the bundle the package's bin runs (scripts/bundle.js). */
const cliJs = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/**
 * The product as users run it: `scribe-proxy serve` (this build's CLI) with its default settings,
 * both listeners, a session logged in against `cognitoUrl` (user pool and identity pool), and its
 * log on stdout going to a file, as a redirected `serve > proxy.log` would. Started in an empty
 * directory (no .env), with only the environment a user would set. `cli`: another build's
 * dist/cli/main.js (or dist/src/cli/main.js, the unbundled one); `nodeArgs`: options for node itself (--cpu-prof).
 */
export async function startServe(
  upstreamUrl: string,
  cpu: number,
  cognitoUrl: string,
  options: {
    env?: Record<string, string>;
    cli?: string;
    nodeArgs?: string[];
    /** A cgroup (v1 memory controller, /sys/fs/cgroup/memory/NAME) to start it in: its limit. */
    memoryCgroup?: string;
  } = {},
): Promise<Server & { logFile: string }> {
  const { env = {}, cli = cliJs, nodeArgs = [], memoryCgroup } = options;
  const dir = mkdtempSync(join(tmpdir(), 'scribe-bench-serve-'));
  const logFile = join(dir, 'proxy.log');
  const stdout = openSync(logFile, 'a');
  const proxyPort = await freePort();
  const adminPort = await freePort();
  const node = [process.execPath, ...nodeArgs, cli, 'serve'];
  // In the cgroup before node starts: Node sizes V8's heap to the limit it sees then.
  const [command, args] = memoryCgroup
    ? pinned(cpu, 'sh', [
        '-c',
        `echo $$ > /sys/fs/cgroup/memory/${memoryCgroup}/cgroup.procs && exec "$@"`,
        'sh',
        ...node,
      ])
    : pinned(cpu, node[0] as string, node.slice(1));
  const child = tracked(
    spawn(command, args, {
      cwd: dir,
      stdio: ['ignore', stdout, 'inherit'],
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        SCRIBE_API_URL: `${upstreamUrl}/v1`,
        SCRIBE_CLIENT_ID: 'bench-client',
        SCRIBE_USER_POOL_ID: 'eu-west-2_bench',
        SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:bench',
        SCRIBE_USERNAME: 'bench-user@example.com',
        SCRIBE_PASSWORD: 'Bench-Passw0rd-xxxxxxxxxx',
        SCRIBE_COGNITO_ENDPOINT: cognitoUrl,
        SCRIBE_IDENTITY_ENDPOINT: cognitoUrl,
        PROXY_PORT: String(proxyPort),
        ADMIN_PORT: String(adminPort),
        ...env,
      },
    }),
  );
  closeSync(stdout);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  // Generous: a busy machine starts a CLI slowly.
  const deadline = Date.now() + 120_000;
  while (!(await answers(`http://127.0.0.1:${adminPort}/readyz`))) {
    if (exited !== undefined)
      throw new Error(`scribe-proxy serve exited (${exited}): see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`scribe-proxy serve did not start: see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url: `http://127.0.0.1:${proxyPort}`,
    logFile,
    ask: () => Promise.reject(new Error('scribe-proxy serve reports nothing over IPC')),
  };
}
