/**
 * `npm run bench`: what the proxy costs as users run it (`scribe-proxy serve`, default settings, a
 * real session, its log on stdout to a file), measured side by side in one run against the Go
 * peer and a bare Node pass-through, with wrk as the load generator (bench/wrk.ts) and nginx as
 * the upstream where installed (processes.ts, startUpstream). Writes a table to stdout and
 * bench/RESULTS.md. Not part of `npm test`. About 5 minutes (the load windows are fixed; starting
 * the processes takes longer on a busy machine).
 * BENCH_SECONDS (default 3) sets the length of each load window; BENCH_ONLY=load stops after the
 * load table and the profile (for quick before/after checks); BENCH_UPSTREAM=node uses the Node
 * upstream (bench/fastUpstream.ts) even where nginx is installed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { load, workloads, type LoadResult, type Workload } from './load.js';
import {
  bigPosts,
  bytesPerSession,
  manyConnections,
  peakDuring,
  perClientLogins,
  perClientStepCost,
  refreshStorm,
  signingBench,
  timeToFirstByte,
} from './measures.js';
import { startFakeCognito } from './fakeCognito.js';
import {
  goPeerPath,
  pin,
  pinning,
  startGoPeer,
  startServe,
  startServer,
  startUpstream,
  type Server,
} from './processes.js';
import { profileServe } from './profileServe.js';
import { footprint, footprintTable, memoryOf } from './footprint.js';
import { compareUpstreamClients } from './upstreamClients.js';
import { requireWrk } from './wrk.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const onlyLoad = process.env['BENCH_ONLY'] === 'load';
// The refresh storm runs real SDK clients: the pinned SDK's notice about Node 22 is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const resultsPath = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
const MiB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const connections = 20;
const rounds = 3;
/** Direct must serve at least this many times the fastest proxy's rps for the run to count. */
const validityFactor = 3;

const goPeer = existsSync(goPeerPath);
const allTargets = [
  'direct',
  'bare-node',
  'aws-sigv4-proxy',
  'scribe-proxy',
  'scribe-proxy@warn',
  'in-process',
] as const;
type Target = (typeof allTargets)[number];
const targets: Target[] = allTargets.filter((t) => goPeer || t !== 'aws-sigv4-proxy');
const proxies = targets.filter((t) => t !== 'direct');

// ---- main ----------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The memory limit this process (and the proxies it starts) runs under, as Node sees it. */
function memoryLimitNote(): string {
  const limit = process.constrainedMemory();
  return limit > 0 && limit < totalmem()
    ? `The processes ran under a memory limit of ${fmt(limit / 2 ** 20)} MiB, which Node sizes V8's heap to.`
    : "The processes ran without a memory limit (under one, Node sizes V8's heap to it).";
}

interface Summary extends LoadResult {
  /** Every round's CPU µs per request, for the record. */
  cpuRuns: number[];
  /** The median of the rounds' CPU µs per request (cpuUs is the least). */
  cpuMedian: number;
}

/**
 * Whether wrk outpaced every proxy, per workload: direct serves validityFactor × the fastest
 * proxy's rps. A workload that fails is INVALID: its rows measure the client, not the proxies.
 */
function validity(med: (key: string) => Summary): {
  validFor: Map<string, boolean>;
  notes: string[];
} {
  const notes: string[] = [];
  const validFor = new Map<string, boolean>();
  for (const workload of workloads) {
    const direct = med(`${workload.name}|direct`).rps;
    const fastest = proxies
      .filter((t) => t !== 'in-process')
      .map((t) => ({ t, rps: med(`${workload.name}|${t}`).rps }))
      .reduce((a, b) => (b.rps > a.rps ? b : a));
    const factor = direct / fastest.rps;
    const ok = factor >= validityFactor;
    validFor.set(workload.name, ok);
    notes.push(
      `${workload.name}: wrk against the upstream directly ${fmt(direct)} rps = ${fmt(factor, 1)}× the fastest proxy (${fastest.t}, ${fmt(fastest.rps)} rps): ${ok ? 'valid' : `INVALID (needs ≥ ${validityFactor}×)`}`,
    );
  }
  return { validFor, notes };
}

async function main(): Promise<void> {
  requireWrk();
  const lines: string[] = [];
  const out = (line = '') => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  const header: string[] = [];
  header.push(`- date: ${new Date().toISOString()}`);
  header.push(
    `- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}`,
  );
  header.push(
    `- load: wrk (1 thread, ${connections} keep-alive connections, ${seconds} s a window), ${rounds} rounds, every target in every round, the order rotated; rps and latency the median of the rounds; CPU µs per request as each round's figure, their median and their least, and the targets judged on the ratios of the medians`,
  );
  const loadAtStart = loadavg()[0] ?? NaN;
  header.push(
    pinning
      ? '- pinning: each proxy alone on CPU 0, started under `taskset -c 0` (every thread it has: GC, compiler, libuv pool; goroutines); wrk, the upstream and the stand-in Cognito on CPU 1'
      : '- pinning: none (taskset or a second CPU is missing): figures are noisier',
  );
  header.push(
    goPeer
      ? `- aws-sigv4-proxy: awslabs' Go proxy (${goPeerPath}), signing with static credentials`
      : `- aws-sigv4-proxy: NOT MEASURED, no binary at ${goPeerPath} (set AWS_SIGV4_PROXY)`,
  );
  header.push(
    '- bare-node: node:http in, a keep-alive http.request out, unsigned, no log (bench/barePassThrough.ts): the floor under any Node proxy',
  );
  header.push(
    "- scribe-proxy: the product as users run it: `node dist/cli/main.js serve` (the bundled command the package's bin runs) with its default settings (LOG_LEVEL=info: one access log line per request; metrics on; both listeners), a session logged in against the bench's stand-in Cognito (bench/fakeCognito.ts), stdout redirected to a file; scribe-proxy@warn: the same at LOG_LEVEL=warn (a diagnostic: what the access log costs)",
  );
  header.push(
    '- in-process: a diagnostic, not the product: the proxy handler built in a bench process (bench/servers.ts), a fixed session, its log to /dev/null, no admin listener (docs/performance.md lists every difference)',
  );
  header.push(
    "- CPU µs/req: the process's user + system CPU time, all threads, over the load window (/proc/<pid>/stat) divided by the requests wrk completed in it",
  );
  if (!goPeer)
    process.stderr.write(`notice: no aws-sigv4-proxy at ${goPeerPath}; its row is skipped\n`);

  pin(process.pid, 1);
  const started = Date.now();
  const upstream = await startUpstream(1);
  header.push(`- upstream: ${upstream.note}`);
  const cognito = await startFakeCognito();
  const servers: Partial<Record<Exclude<Target, 'direct'>, Server>> = {
    'bare-node': await startServer('bare-node', 0, upstream.url),
    'scribe-proxy': await startServe(upstream.url, 0, cognito.url),
    'scribe-proxy@warn': await startServe(upstream.url, 0, cognito.url, {
      env: { LOG_LEVEL: 'warn' },
    }),
    'in-process': await startServer('scribe-sigv4', 0, upstream.url),
    ...(goPeer ? { 'aws-sigv4-proxy': await startGoPeer(upstream.url, 0) } : {}),
  };
  const control = onlyLoad ? undefined : await startServer('scribe-presigned', 0, upstream.url);
  const perClient = onlyLoad ? undefined : await startServer('scribe-per-client', 0, upstream.url);
  const serverOf = (t: Exclude<Target, 'direct'>): Server => {
    const server = servers[t];
    if (!server) throw new Error(`no server for ${t}`);
    return server;
  };
  const urlOf = (t: Target) => (t === 'direct' ? `${upstream.url}/v1` : serverOf(t).url);
  const pidOf = (t: Target) => (t === 'direct' ? undefined : serverOf(t).child.pid);
  const options = (pid: number | undefined) => ({ connections, seconds, proxyPid: pid });

  // Load: every target in every round, the order rotated each round.
  const samples = new Map<string, LoadResult[]>();
  const note = (key: string, result: LoadResult) => {
    samples.set(key, [...(samples.get(key) ?? []), result]);
    process.stderr.write(
      `${key}: ${fmt(result.rps)} rps, ${fmt(result.cpuUs)} µs CPU/req, ${result.errors} errors\n`,
    );
  };
  // Warm-up: one short window per target and workload (JIT, pools), not counted.
  for (const workload of workloads)
    for (const t of targets)
      await load(urlOf(t), workload, { connections, seconds: 1, proxyPid: pidOf(t) });
  // What each process holds right after its own last window (a sidecar that has served traffic,
  // beside the footprint's RSS once ready), and its peak: V8 sizes its young generation to the
  // allocation rate. Read at once, before the idle memory reducer can shrink it.
  const memoryAfterLoad = new Map<Exclude<Target, 'direct'>, { rss: number; peak: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const workload of workloads) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
      for (const target of order) {
        const key = `${workload.name}|${target}`;
        note(key, await load(urlOf(target), workload, options(pidOf(target))));
        if (round === rounds - 1 && target !== 'direct')
          memoryAfterLoad.set(target, memoryOf(serverOf(target).child.pid as number));
      }
    }
    if (control && perClient) {
      // The control (sigv4 headers signed once, see bench/servers.ts), on small GETs.
      note(
        'control',
        await load(control.url, workloads[0] as Workload, options(control.child.pid)),
      );
      // Per-client mode on cache hits: 50 accounts' logins in turn (their first requests log in).
      note(
        'per-client',
        await load(perClient.url, workloads[0] as Workload, {
          ...options(perClient.child.pid),
          authorizationsInTurn: perClientLogins.map((h) => h.authorization),
        }),
      );
    }
  }
  control?.child.kill();
  perClient?.child.kill();
  const med = (key: string): Summary => {
    const runs = samples.get(key) ?? [];
    return {
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      cpuUs: Math.min(...runs.map((r) => r.cpuUs)),
      cpuMedian: median(runs.map((r) => r.cpuUs)),
      cpuRuns: runs.map((r) => r.cpuUs),
    };
  };

  const { validFor, notes } = validity(med);
  const invalid = workloads.filter((w) => !validFor.get(w.name)).map((w) => w.name);
  const valid = invalid.length === 0;
  const validGet = validFor.get('small GET') === true;
  out(
    valid
      ? '# scribe-proxy benchmark results'
      : `# scribe-proxy benchmark results: INVALID for ${invalid.join(', ')}`,
  );
  out();
  if (!valid) {
    out(
      `**INVALID for ${invalid.join(', ')}: the load generator did not outpace the proxies there (direct < ${validityFactor}× the fastest proxy's rps), so those rows measure the client, not the proxies. They are not results; do not cite them.**`,
    );
    out();
  }
  for (const line of header) out(line);
  const loadNow = loadavg()[0] ?? NaN;
  out(
    `- machine load: 1-minute load average ${fmt(loadAtStart, 1)} at the start, ${fmt(loadNow, 1)} after the load table, on ${cpus().length} CPUs${Math.max(loadAtStart, loadNow) > 2 * cpus().length ? ': a busy machine, every absolute figure inflated; read only ratios taken within this run' : ''}`,
  );
  for (const line of notes) out(`- validity, ${line}`);
  out();

  out(
    `## CPU per request, throughput, latency${valid ? '' : ` (INVALID for ${invalid.join(', ')})`}`,
  );
  out();
  out(
    "CPU µs per request of the proxy process, all its threads (the headline: it moves least with the machine's noise): the median of the rounds, the least, and each round's; ×bare: that over bare-node's, of the medians (of the least in brackets); Go ÷ this: aws-sigv4-proxy's CPU per request over this row's, likewise (above 1: cheaper than Go). Then rps (median) and wrk's latency percentiles.",
  );
  out();
  out(
    '| workload | target | CPU µs/req (median) | least | ×bare (least) | Go ÷ this (least) | CPU µs/req, each round | rps | p50 ms | p99 ms | errors |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const ratio = (value: number, base: number) =>
    Number.isFinite(value) && Number.isFinite(base) && base > 0 ? `${fmt(value / base, 2)}×` : '–';
  for (const workload of workloads) {
    const bare = med(`${workload.name}|bare-node`);
    const go = med(`${workload.name}|aws-sigv4-proxy`);
    for (const target of targets) {
      const r = med(`${workload.name}|${target}`);
      const direct = target === 'direct';
      const cpu = direct ? '–' : fmt(r.cpuMedian);
      const least = direct ? '–' : fmt(r.cpuUs);
      const rounds = direct ? '–' : r.cpuRuns.map((c) => fmt(c)).join(', ');
      const name = validFor.get(workload.name) ? workload.name : `${workload.name} (INVALID)`;
      const both = (median: string, least: string) =>
        median === '–' ? '–' : `${median} (${least})`;
      out(
        `| ${name} | ${target} | ${cpu} | ${least} | ${both(ratio(r.cpuMedian, bare.cpuMedian), ratio(r.cpuUs, bare.cpuUs))} | ${both(ratio(go.cpuMedian, r.cpuMedian), ratio(go.cpuUs, r.cpuUs))} | ${rounds} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`,
      );
    }
  }
  out();

  // The in-process diagnostic's own time spent ending each request (see bench/servers.ts).
  const endOfRequestUs = (await serverOf('in-process').ask<{ endOfRequestUs: number }>('report'))
    .endOfRequestUs;
  for (const s of Object.values(servers)) s?.child.kill();
  // Where the product's time goes on small GETs, at saturation: `serve` under node --cpu-prof.
  const profiled = await profileServe(upstream.url, cognito.url, workloads[0] as Workload, seconds);
  const breakdown = profiled.breakdown;
  const top = profiled.top;
  const upstreamUrl = upstream.url;

  const info = med('small GET|scribe-proxy');
  const warn = med('small GET|scribe-proxy@warn');
  const verdict = (ok: boolean) => (ok ? 'holds' : 'FAILS');
  const vsGo = (workload: string) => {
    const ours = med(`${workload}|scribe-proxy`);
    const go = med(`${workload}|aws-sigv4-proxy`);
    return {
      cpu: go.cpuMedian / ours.cpuMedian,
      least: go.cpuUs / ours.cpuUs,
      rps: ours.rps / go.rps,
      ours,
      go,
    };
  };
  const notAResult = (what: string, workload: string) =>
    `- ${what}: INVALID, not a result (${workload}: direct was not ${validityFactor}× the fastest proxy)`;
  const goTarget = (workload: string, at: number) => {
    if (!goPeer) return `- Go CPU/req ÷ ours >= ${at} on ${workload}: not measured (no Go peer)`;
    if (!validFor.get(workload))
      return notAResult(`Go CPU/req ÷ ours >= ${at} on ${workload}`, workload);
    const r = vsGo(workload);
    return `- Go CPU/req ÷ ours >= ${at} on ${workload} (medians): ${verdict(r.cpu >= at)} (${fmt(r.cpu, 2)}: ${fmt(r.ours.cpuMedian)} µs against Go's ${fmt(r.go.cpuMedian)} µs; of the least: ${fmt(r.least, 2)}; rps ${fmt(r.rps, 2)}× Go's)`;
  };
  const bareGet = med('small GET|bare-node');
  const bareTarget = !validGet
    ? notAResult('ours within 1.4× of bare-node on small GETs', 'small GET')
    : `- ours within 1.4× of bare-node on small GETs (medians): ${verdict(info.cpuMedian / bareGet.cpuMedian <= 1.4)} (${fmt(info.cpuMedian / bareGet.cpuMedian, 2)}×: ${fmt(info.cpuMedian)} µs against ${fmt(bareGet.cpuMedian)} µs; of the least: ${fmt(info.cpuUs / bareGet.cpuUs, 2)}×)`;
  const infoCost = (info.cpuMedian - warn.cpuMedian) / warn.cpuMedian;
  const logTarget = `- LOG_LEVEL=info costs at most 10% over warn: ${verdict(infoCost <= 0.1)} (${fmt(infoCost * 100, 1)}%: scribe-proxy ${fmt(info.cpuMedian)} µs per small GET at info against ${fmt(warn.cpuMedian)} µs at warn, medians, whole process; in the in-process diagnostic, the end of each request (metrics and log line) took ${fmt(endOfRequestUs, 1)} µs on its main thread)`;

  const profileSection = () => {
    out(`## Profile at saturation (scribe-proxy serve, small GETs)${validGet ? '' : ' (INVALID)'}`);
    out();
    out(
      `\`scribe-proxy serve\` started again under \`node --cpu-prof\` (V8's sampling profiler, main thread only), one small-GET window under wrk: ${fmt(profiled.load.rps)} rps, ${fmt(profiled.load.cpuUs)} µs of CPU per request while profiled (the profile includes the start). The profiler slows what it watches, so the µs column applies each share to the ${fmt(info.cpuMedian)} µs a small GET took unprofiled (median).`,
    );
    out();
    out('| work | share of busy time | ≈ µs of an unprofiled request |');
    out('| --- | --- | --- |');
    for (const row of breakdown) {
      out(`| ${row.kind} | ${fmt(row.share * 100, 0)}% | ${fmt(row.share * info.cpuMedian, 1)} |`);
    }
    out();
    out('The functions with the most self time (share of busy time):');
    out();
    out('| function | where | self |');
    out('| --- | --- | --- |');
    for (const f of top) out(`| ${f.name} | ${f.where} | ${fmt(f.share * 100, 1)}% |`);
    out();
  };

  if (onlyLoad) {
    out('## Targets');
    out();
    out(goTarget('small GET', 1.2));
    out(goTarget('64 KiB POST', 2));
    out(bareTarget);
    out(logTarget);
    out();
    profileSection();
    upstream.child.kill();
    cognito.server.close();
    if (process.env['BENCH_WRITE'] === '1') writeFileSync(resultsPath, `${lines.join('\n')}\n`);
    return;
  }

  const signing = await signingBench();
  const ttfbDirect: number[] = [];
  const ttfbProxy: number[] = [];
  {
    const proxy = await startServe(upstreamUrl, 0, cognito.url);
    for (let i = 0; i < 5; i++) {
      ttfbDirect.push(await timeToFirstByte(`${upstreamUrl}/v1`));
      ttfbProxy.push(await timeToFirstByte(proxy.url));
    }
    proxy.child.kill();
  }
  const ttfb = { direct: median(ttfbDirect), proxy: median(ttfbProxy) };
  const conns = await peakDuring(upstreamUrl, (url) => manyConnections(url, 1000));
  const posts = await peakDuring(upstreamUrl, (url) => bigPosts(url, 20, 10 * MiB));
  const perPost = (posts.peak - posts.base) / 20;
  upstream.child.kill();
  cognito.server.close();
  const clientRows = await compareUpstreamClients(seconds);
  const perClientStep = await perClientStepCost();
  const sessionMemory = bytesPerSession(2000);
  const storm = await refreshStorm();
  const signing1MiB = signing.find((r) => r.size === '1 MiB');
  const ratio1MiB = signing1MiB ? signing1MiB.ours / signing1MiB.sha256js : NaN;
  const shared = med('small GET|in-process');
  const clients = med('per-client');
  const ctl = med('control');

  out('## Targets');
  out();
  out(goTarget('small GET', 1.2));
  out(goTarget('64 KiB POST', 2));
  out(bareTarget);
  out(logTarget);
  out(
    `- TTFB within 5 ms of direct: ${verdict(ttfb.proxy - ttfb.direct <= 5)} (${ttfb.proxy >= ttfb.direct ? '+' : ''}${fmt(ttfb.proxy - ttfb.direct, 2)} ms)`,
  );
  out(
    `- peak RSS <= 3× the body per in-flight 10 MiB POST: ${verdict(perPost <= 3 * 10 * MiB)} (${fmt(perPost / (10 * MiB), 2)}×)`,
  );
  out(
    `- exactly one refresh per expiry under ${storm.requests} concurrent requests: ${verdict(storm.refreshes === 1 && storm.ok === storm.requests)} (${storm.refreshes}; ${storm.ok} answered 200)`,
  );
  out(
    `- per-client mode on a cache hit costs under 10 µs per request over shared: ${verdict(perClientStep.perClientUs - perClientStep.sharedUs < 10)} (${fmt(perClientStep.perClientUs - perClientStep.sharedUs, 2)} µs in-process; whole-process CPU, noisier: ${fmt(clients.cpuUs - shared.cpuUs, 1)} µs)`,
  );
  out(
    `- library signer >= 5× sha256-js at 1 MiB: ${verdict(ratio1MiB >= 5)} (${fmt(ratio1MiB, 1)}×)`,
  );
  out();

  out('### What bounds the small-request figures');
  out();
  out(
    `CPU per small GET, this run (medians): bare-node (Node's HTTP in and out, nothing else) ${fmt(bareGet.cpuMedian)} µs; the in-process diagnostic ${fmt(shared.cpuMedian)} µs and its sigv4 control (the same, its signature computed once and re-sent) ${fmt(ctl.cpuMedian)} µs; scribe-proxy serve ${fmt(info.cpuMedian)} µs${goPeer ? `; aws-sigv4-proxy ${fmt(vsGo('small GET').go.cpuMedian)} µs` : ''}. The hot-path signature itself is a few µs (signing table); the rest above bare-node is the pipeline (profile below), and bare-node's own cost is Node's HTTP server and client and the kernel's loopback delivery, which no change inside the proxy removes.`,
  );
  out();
  profileSection();

  out('## Signing (signatures per second)');
  out();
  out(
    '| body | hot path (node:crypto, the proxy) | library (smithy + native SHA-256) | smithy + sha256-js | hot ÷ library | library ÷ sha256-js |',
  );
  out('| --- | --- | --- | --- | --- | --- |');
  for (const row of signing) {
    out(
      `| ${row.size} | ${fmt(row.hot)} | ${fmt(row.ours)} | ${fmt(row.sha256js, 1)} | ${fmt(row.hot / row.ours, 1)}× | ${fmt(row.ours / row.sha256js, 1)}× |`,
    );
  }
  out();
  out('## Streaming: time to first byte (upstream sends 5 chunks 400 ms apart; median of 5)');
  out();
  out(
    `- direct: ${fmt(ttfb.direct, 2)} ms; through scribe-proxy serve (sigv4): ${fmt(ttfb.proxy, 2)} ms`,
  );
  out();
  out('## Memory (a fresh scribe-proxy sigv4 process per test, peak RSS)');
  out();
  out(
    `- 1,000 concurrent keep-alive connections: peak ${fmt(conns.peak / MiB, 1)} MiB (idle ${fmt(conns.base / MiB, 1)} MiB)`,
  );
  out(
    `- 20 concurrent 10 MiB POSTs: peak ${fmt(posts.peak / MiB, 1)} MiB, ${fmt(perPost / MiB, 1)} MiB above idle per in-flight POST (${fmt(perPost / (10 * MiB), 2)}× the body)`,
  );
  out();
  out('## Refresh storm');
  out();
  out(
    `- ${storm.requests} concurrent requests across a credential expiry: ${storm.ok} answered 200; GetCredentialsForIdentity calls: ${storm.refreshes}; GetId calls: ${storm.getIds}`,
  );
  out();
  out('## Per-client mode (PROXY_SESSIONS=per-client)');
  out();
  out(
    `- small GET, ${perClientLogins.length} accounts in turn, cache hits: ${fmt(clients.rps)} rps, ${fmt(clients.cpuUs)} µs CPU per request (the in-process diagnostic, shared mode, same run: ${fmt(shared.rps)} rps, ${fmt(shared.cpuUs)} µs); ${clients.errors} errors`,
  );
  out(
    `- the per-client step itself (Basic login parsed, HMAC of username and password, cache look-up), timed in one process: ${fmt(perClientStep.perClientUs, 2)} µs per request against ${fmt(perClientStep.sharedUs, 2)} µs for the shared mode's step`,
  );
  out(
    `- memory per held session (sigv4: tokens, refresh token, credentials of real sizes, its timers and cache entry; heap + external after GC, 2,000 sessions): ${fmt(sessionMemory / 1024, 1)} KiB`,
  );
  out();
  out('## The upstream client: http.request + Agent, or undici');
  out();
  out(
    "Bare forwarders (no signing, no pipeline), one per client, alone on CPU 0, under wrk (bench/upstreamClients.ts): what the upstream client costs by itself. undici's `request` returns headers as an object; `dispatch` keeps them raw, as the proxy needs (order, case, repeats). The proxy's upstream hop is undici's `dispatch` on a keep-alive Pool (src/http/upstreamDispatcher.ts), with the DESIGN.md guarantees kept on it (raw response headers, the retry after the keep-alive race, one UPSTREAM_TIMEOUT_MS budget, the egress proxy); bare-node keeps http.request + Agent.",
  );
  out();
  out('| workload | client | CPU µs/req | rps |');
  out('| --- | --- | --- | --- |');
  for (const r of clientRows)
    out(`| ${r.workload} | ${r.client} | ${fmt(r.cpuUs)} | ${fmt(r.rps)} |`);
  out();
  out('## Memory after the load table');
  out();
  out(
    `Each target's RSS right after its last window of the load table (its 64 KiB POSTs), and its peak (VmHWM): the same processes as the CPU table. ${memoryLimitNote()} The footprint below is a fresh \`serve\` once ready, before any request. docs/performance.md says where it goes.`,
  );
  out();
  out('| target | RSS after its last window | peak RSS |');
  out('| --- | ---: | ---: |');
  for (const target of proxies) {
    const memory = memoryAfterLoad.get(target);
    out(`| ${target} | ${fmt(memory?.rss ?? NaN, 1)} MiB | ${fmt(memory?.peak ?? NaN, 1)} MiB |`);
  }
  out();
  out('## Footprint: start-up time and memory of the command (bench/footprint.ts)');
  out();
  for (const line of footprintTable(await footprint(5))) out(line);
  out();
  const optimisations = optimisationLog();
  if (optimisations) out(optimisations);
  out(`The whole run took ${fmt((Date.now() - started) / 60_000, 1)} minutes.`);
  writeFileSync(resultsPath, `${lines.join('\n')}\n`);
  process.stdout.write(`\nwritten to bench/RESULTS.md${valid ? '' : ' (marked INVALID)'}\n`);
}

/** The hand-kept record of what was tried on the hot path (bench/optimisations.md), if any. */
function optimisationLog(): string | undefined {
  const path = fileURLToPath(new URL('../../bench/optimisations.md', import.meta.url));
  return existsSync(path) ? readFileSync(path, 'utf8').trimEnd() : undefined;
}

// A wait on something that can no longer answer (a child already gone) would otherwise end the
// process quietly with status 0 and no results.
process.once('beforeExit', () => {
  process.stderr.write('benchmark failed: it stopped waiting on a process that is gone\n');
  process.exit(1);
});
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
