/**
 * What starting the command costs: `--version` and `--help` wall time, `serve` from spawn to its
 * first /readyz 200 against an instant Cognito (bench/fakeCognito.ts; the login included), and
 * the serve process's RSS then (no ADMIN_TOKEN, JSON logs: a sidecar's configuration). Each the
 * median of N runs.
 *   npm run bench:footprint        (FOOTPRINT_RUNS, default 7; FOOTPRINT_MAIN, another main.js)
 * bench/run.ts calls footprint() for its own table.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startFakeCognito } from './fakeCognito.js';

/** The command as shipped (scripts/bundle.js); FOOTPRINT_MAIN measures another main.js. */
const mainJs =
  process.env['FOOTPRINT_MAIN'] ??
  fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** One footprint row: its name, the median, the unit, and every run. */
export interface FootprintRow {
  name: string;
  median: number;
  unit: 'ms' | 'MiB';
  runs: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Wall milliseconds of `node main.js ...args` to its exit. */
function timeCommand(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [mainJs, ...args], { stdio: 'ignore' });
  if (result.status !== 0)
    throw new Error(`scribe-proxy ${args.join(' ')} exited ${result.status}`);
  return performance.now() - start;
}

/**
 * A process's resident set now and at its peak (VmHWM), MiB; NaN for a process that is gone (a
 * target that died during the load must not end the run before its results are written).
 */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mib = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
    return { rss: mib('VmRSS'), peak: mib('VmHWM') };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** `serve` with env, from spawn to its first /readyz 200: the milliseconds and the RSS then. */
async function timeServe(cognitoUrl: string, env: Record<string, string> = {}) {
  const [proxyPort, adminPort] = [await freePort(), await freePort()];
  const start = performance.now();
  const child = spawn(process.execPath, [mainJs, 'serve'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SCRIBE_CLIENT_ID: 'benchclient',
      SCRIBE_USER_POOL_ID: 'eu-west-2_bench',
      SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:00000000-0000-0000-0000-000000000000',
      SCRIBE_USERNAME: 'bench@example.com',
      SCRIBE_PASSWORD: 'bench-password',
      SCRIBE_COGNITO_ENDPOINT: cognitoUrl,
      SCRIBE_IDENTITY_ENDPOINT: cognitoUrl,
      PROXY_PORT: String(proxyPort),
      ADMIN_PORT: String(adminPort),
      ...env,
    },
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`serve exited (${code})`))),
  );
  try {
    for (;;) {
      const status = await Promise.race([
        fetch(`http://127.0.0.1:${adminPort}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
        exited,
      ]);
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - start;
    // Let the process settle (the first request's garbage, lazy compilation) before reading RSS.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { ms, rss: memoryOf(child.pid as number).rss };
  } finally {
    child.kill();
    await exited.catch(() => undefined);
  }
}

/** The footprint rows, each the median of `runs` runs. */
export async function footprint(runs = 7): Promise<FootprintRow[]> {
  const cognito = await startFakeCognito();
  try {
    const version: number[] = [];
    const help: number[] = [];
    const ready: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      version.push(timeCommand(['--version']));
      help.push(timeCommand(['--help']));
      const serve = await timeServe(cognito.url);
      ready.push(serve.ms);
      rss.push(serve.rss);
    }
    const row = (name: string, xs: number[], unit: FootprintRow['unit']): FootprintRow => ({
      name,
      median: median(xs),
      unit,
      runs: xs,
    });
    return [
      row('--version', version, 'ms'),
      row('--help', help, 'ms'),
      row('serve ready (spawn to /readyz 200)', ready, 'ms'),
      row('serve RSS once ready', rss, 'MiB'),
    ];
  } finally {
    cognito.server.close();
  }
}

/** The rows as a Markdown table. */
export function footprintTable(rows: FootprintRow[]): string[] {
  const fmt = (r: FootprintRow) => `${r.median.toFixed(r.unit === 'MiB' ? 1 : 0)} ${r.unit}`;
  return [
    '| footprint | median | runs |',
    '|---|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r)} | ${r.runs.map((x) => x.toFixed(r.unit === 'MiB' ? 1 : 0)).join(', ')} |`,
    ),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await footprint(Number(process.env['FOOTPRINT_RUNS'] ?? 7));
  process.stdout.write(`${footprintTable(rows).join('\n')}\n`);
}
