/** The benchmark's processes: its servers (bench/servers.ts) and the Go peer, each pinned. */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

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
export function pin(pid: number | undefined, cpu: number): void {
  if (pinning && pid)
    execFileSync('taskset', ['-cp', String(cpu), String(pid)], { stdio: 'ignore' });
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
  const child = fork(script, [kind, upstream], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${kind} exited (${code})`)));
  });
  pin(child.pid, cpu);
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
  const child = spawn(
    goPeerPath,
    [
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
    ],
    {
      env: {
        AWS_ACCESS_KEY_ID: 'ASIABENCHMARKKEY0001',
        AWS_SECRET_ACCESS_KEY: 'benchmark/secret/key/0123456789abcdefghij',
        AWS_SESSION_TOKEN: 'benchmark-session-token-'.repeat(20),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
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
  pin(child.pid, cpu);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    ask: () => Promise.reject(new Error('the Go peer reports nothing')),
  };
}
