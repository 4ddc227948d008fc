/**
 * Where `scribe-proxy serve` spends its CPU under load: the real CLI (default settings, its log on
 * stdout to a file, a session logged in against the bench's stand-in Cognito) started with
 * `node --cpu-prof`, one wrk window, then SIGTERM; the breakdown by kind of work and the functions
 * with the most self time. The profile samples the main thread only (what libuv's pool does is
 * not in it) and includes the start. By hand:
 *   node dist/bench/profileServe.js [seconds]   (BENCH_WORKLOAD=POST; BENCH_ENV='LOG_LEVEL=warn')
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeCognito } from './fakeCognito.js';
import { load, workloads, type LoadResult, type Workload } from './load.js';
import { pin, startServe, startUpstream } from './processes.js';
import { profileBreakdown, topFunctions, type WorkKind } from './profileBreakdown.js';
import { requireWrk } from './wrk.js';

/** One profiled window of `workload` against a fresh `serve` on CPU 0. */
export async function profileServe(
  upstreamUrl: string,
  cognitoUrl: string,
  workload: Workload,
  seconds: number,
  env: Record<string, string> = {},
): Promise<{
  load: LoadResult;
  breakdown: Array<{ kind: WorkKind; share: number }>;
  top: ReturnType<typeof topFunctions>;
  dir: string;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-serve-prof-'));
  const serve = await startServe(upstreamUrl, 0, cognitoUrl, {
    env,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
  });
  const options = { connections: 20, proxyPid: serve.child.pid };
  await load(serve.url, workload, { ...options, seconds: 1 });
  const result = await load(serve.url, workload, { ...options, seconds });
  // The profile is written as the process exits (serve drains and exits 0 on SIGTERM).
  await new Promise((resolve) => {
    serve.child.once('exit', resolve);
    serve.child.kill('SIGTERM');
  });
  return { load: result, breakdown: profileBreakdown(dir), top: topFunctions(dir, 25), dir };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
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
  const upstream = await startUpstream(1);
  const cognito = await startFakeCognito();
  const r = await profileServe(upstream.url, cognito.url, workload as Workload, seconds, env);
  upstream.child.kill();
  cognito.server.close();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`${workload?.name}: ${r.load.rps.toFixed(0)} rps, ${r.load.cpuUs.toFixed(1)} µs CPU/req`);
  for (const row of r.breakdown) out(`${(row.share * 100).toFixed(1)}%\t${row.kind}`);
  out('');
  for (const f of r.top) out(`${(f.share * 100).toFixed(1)}%\t${f.name}\t${f.where}`);
  out(`profile: ${r.dir}`);
  process.exit(0);
}
