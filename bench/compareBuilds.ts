/**
 * Before/after for one change on the hot path: the same proxy (`scribe-proxy serve` as users run
 * it, default settings, its log on stdout to a file) from two builds, side by side in one run, each alone on CPU 0, under wrk on CPU 1, windows
 * alternating. Prints the least CPU µs per request of each over the rounds (and the median rps),
 * and each process's RSS and peak RSS once the rounds ended.
 *   node dist/bench/compareBuilds.js <dist of build A> <dist of build B> [rounds]
 * Each build runs its bundled command (dist/cli/main.js) when it has one, else dist/src's.
 * (BENCH_WORKLOAD=GET or POST for one workload; BENCH_KIND for a bench/servers.ts target instead;
 * BENCH_ENV='LOG_LEVEL=warn ...' for settings given to both, BENCH_ENV_B for B's alone: one build
 * against itself under two settings.)
 * A build's dist must resolve this checkout's node_modules (a copy under a directory holding a
 * node_modules link to it will do).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load, workloads as allWorkloads } from './load.js';
import { startFakeCognito } from './fakeCognito.js';
import { pin, startServe, startServer, startUpstream, type Server } from './processes.js';
import { requireWrk } from './wrk.js';
import { memoryOf } from './footprint.js';

const [distA = '', distB = '', roundsArg = '5'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const kind = process.env['BENCH_KIND'] ?? 'serve';
const envOf = (text = '') =>
  Object.fromEntries(
    text
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.split('=')[0] ?? '', pair.slice(pair.indexOf('=') + 1)]),
  );
const envs = [
  envOf(process.env['BENCH_ENV']),
  { ...envOf(process.env['BENCH_ENV']), ...envOf(process.env['BENCH_ENV_B']) },
];
// BENCH_WORKLOAD=GET or POST: only that workload.
const only = process.env['BENCH_WORKLOAD'];
const workloads = allWorkloads.filter((w) => !only || w.method === only);
requireWrk();
pin(process.pid, 1);
const upstream = await startUpstream(1);
const cognito = kind === 'serve' ? await startFakeCognito() : undefined;
/** The build's bundled command (what the package's bin runs), or its unbundled one without it. */
const cliOf = (dist: string) => {
  const bundled = join(resolve(dist), 'cli/main.js');
  const cli = existsSync(bundled) ? bundled : join(resolve(dist), 'src/cli/main.js');
  process.stderr.write(`${dist}: ${cli}\n`);
  return cli;
};
const servers: Server[] = [];
for (const [i, dist] of [distA, distB].entries()) {
  const env = envs[i] ?? {};
  servers.push(
    cognito
      ? await startServe(upstream.url, 0, cognito.url, {
          env,
          cli: cliOf(dist),
        })
      : await startServer(kind, 0, upstream.url, env, join(resolve(dist), 'bench', 'servers.js')),
  );
}
const results = new Map<string, Array<{ cpuUs: number; rps: number }>>();
for (const workload of workloads)
  for (const server of servers)
    await load(server.url, workload, { connections: 20, seconds: 1, proxyPid: server.child.pid });
for (let round = 0; round < rounds; round++) {
  for (const workload of workloads) {
    for (let i = 0; i < servers.length; i++) {
      const which = (i + round) % servers.length;
      const server = servers[which];
      if (!server) continue;
      const r = await load(server.url, workload, {
        connections: 20,
        seconds,
        proxyPid: server.child.pid,
      });
      const key = `${workload.name}|${which === 0 ? 'A' : 'B'}`;
      results.set(key, [...(results.get(key) ?? []), r]);
      process.stderr.write(`${key}: ${r.cpuUs.toFixed(1)} µs/req, ${r.rps.toFixed(0)} rps\n`);
    }
  }
}
// What each holds once its rounds ended (V8 sizes the young generation to the allocation rate).
const rssAfter = servers.map((s) => memoryOf(s.child.pid as number));
for (const s of [upstream, ...servers]) s.child.kill();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
for (const workload of workloads) {
  const row = (label: 'A' | 'B') => {
    const runs = results.get(`${workload.name}|${label}`) ?? [];
    return {
      cpu: Math.min(...runs.map((r) => r.cpuUs)),
      cpuMedian: median(runs.map((r) => r.cpuUs)),
      rps: median(runs.map((r) => r.rps)),
    };
  };
  const a = row('A');
  const b = row('B');
  process.stdout.write(
    `${workload.name}: A ${a.cpu.toFixed(1)} µs/req (median ${a.cpuMedian.toFixed(1)}, ${a.rps.toFixed(0)} rps); B ${b.cpu.toFixed(1)} µs/req (median ${b.cpuMedian.toFixed(1)}, ${b.rps.toFixed(0)} rps); B - A ${(b.cpu - a.cpu).toFixed(1)} µs\n`,
  );
}
process.stdout.write(
  `RSS after the rounds (peak): A ${rssAfter[0]?.rss.toFixed(1)} (${rssAfter[0]?.peak.toFixed(1)}) MiB; B ${rssAfter[1]?.rss.toFixed(1)} (${rssAfter[1]?.peak.toFixed(1)}) MiB\n`,
);
process.exit(0);
