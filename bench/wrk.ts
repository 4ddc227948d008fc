/**
 * The benchmark's load generator: wrk (Debian's `wrk` package), a C client that drives several
 * times what any proxy here serves, so a row measures the target and not the client. One wrk
 * thread, on the CPU this process runs on (the benchmark pins itself to CPU 1 with the upstream).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Stop with the command that installs wrk when it is missing. */
export function requireWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    // wrk --version exits 1 after printing its version: only a missing binary is fatal.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return;
    process.stderr.write('the benchmark needs wrk as its load generator: apt-get install -y wrk\n');
    process.exit(2);
  }
}

/** One load window. */
export interface WrkLoad {
  url: string;
  method: 'GET' | 'POST';
  /** Body size in bytes (POST). */
  bodyBytes?: number;
  connections: number;
  seconds: number;
  /** Authorization values sent in turn, one per request (per-client logins). */
  authorizationsInTurn?: string[];
}

export interface WrkResult {
  requests: number;
  rps: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** Connect, read, write and timeout errors, and non-2xx/3xx answers. */
  errors: number;
}

const luaString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The Lua script that sets the request and prints the summary as one JSON line. */
function script(load: WrkLoad): string {
  const lines = [`wrk.method = "${load.method}"`];
  if (load.bodyBytes) {
    lines.push(`wrk.body = string.rep("x", ${load.bodyBytes})`);
    lines.push('wrk.headers["Content-Type"] = "application/octet-stream"');
  }
  if (load.authorizationsInTurn) {
    lines.push(`local logins = { ${load.authorizationsInTurn.map(luaString).join(', ')} }`);
    lines.push('local turn = 0');
    lines.push('request = function()');
    lines.push('  turn = turn % #logins + 1');
    lines.push('  return wrk.format(nil, nil, { Authorization = logins[turn] })');
    lines.push('end');
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\nWRK-RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,',
    '    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50), latency:percentile(99)))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

let scriptDir: string | undefined;

/** Run wrk once and read its summary. */
export function wrk(load: WrkLoad): Promise<WrkResult> {
  scriptDir ??= mkdtempSync(join(tmpdir(), 'scribe-bench-wrk-'));
  const file = join(scriptDir, `load-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(file, script(load));
  const args = [
    '-t1',
    `-c${load.connections}`,
    `-d${load.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    file,
    load.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const m = /WRK-RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
      if (!m) return reject(new Error(`wrk exited (${code}) without a summary: ${out}`));
      const [requests, durationUs, errors, p50Us, p99Us] = m.slice(1).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      resolve({
        requests,
        rps: (requests * 1e6) / durationUs,
        p50: p50Us / 1000,
        p99: p99Us / 1000,
        errors,
      });
    });
  });
}
