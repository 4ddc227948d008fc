/**
 * Where `scribe-proxy serve` spends its CPU under load: the real CLI (default settings, its log on
 * stdout to a file, a session logged in against the bench's stand-in Cognito) started with
 * `node --cpu-prof`, one wrk window of small GETs (or BENCH_WORKLOAD=POST), then SIGTERM; prints
 * the breakdown by kind of work and the functions with the most self time. The profile samples
 * the main thread only (what libuv's pool does, such as asynchronous file writes, is not in it).
 *   node dist/bench/profileServe.js [seconds]   (BENCH_ENV='LOG_LEVEL=warn' for other settings)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeCognito } from './fakeCognito.js';
import { load, workloads } from './load.js';
import { pin, startServe, startServer } from './processes.js';
import { profileBreakdown, topFunctions } from './profileBreakdown.js';
import { requireWrk } from './wrk.js';

const seconds = Number(process.argv[2] ?? 5);
const workload =
  workloads.find((w) => w.method === (process.env['BENCH_WORKLOAD'] ?? 'GET')) ?? workloads[0];
const env = Object.fromEntries(
  (process.env['BENCH_ENV'] ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.split('=')[0] ?? '', pair.slice(pair.indexOf('=') + 1)]),
);
requireWrk();
pin(process.pid, 1);
const upstream = await startServer('upstream', 1);
const cognito = await startFakeCognito();
const dir = mkdtempSync(join(tmpdir(), 'scribe-serve-prof-'));
const serve = await startServe(upstream.url, 0, cognito.url, {
  env,
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
});
if (!workload) throw new Error('no workload');
await load(serve.url, workload, { connections: 20, seconds: 1, proxyPid: serve.child.pid });
const r = await load(serve.url, workload, { connections: 20, seconds, proxyPid: serve.child.pid });
await new Promise((resolve) => {
  serve.child.once('exit', resolve);
  serve.child.kill('SIGTERM');
});
upstream.child.kill();
cognito.server.close();
const out = (line: string) => process.stdout.write(`${line}\n`);
out(`${workload.name}: ${r.rps.toFixed(0)} rps, ${r.cpuUs.toFixed(1)} µs CPU/req (profiled)`);
for (const row of profileBreakdown(dir)) out(`${(row.share * 100).toFixed(1)}%\t${row.kind}`);
out('');
for (const f of topFunctions(dir, 40)) out(`${(f.share * 100).toFixed(1)}%\t${f.name}\t${f.where}`);
out(`profile: ${dir}`);
process.exit(0);
