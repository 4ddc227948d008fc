/**
 * `npm run bench`: what the proxy costs, measured side by side in one run against the Go peer and
 * a bare Node pass-through, with wrk as the load generator (bench/wrk.ts). Writes a table to
 * stdout and bench/RESULTS.md. Not part of `npm test`.
 * BENCH_SECONDS (default 3) sets the length of each load window; BENCH_ONLY=load stops after the
 * load table and the profile (for quick before/after checks).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
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
import { goPeerPath, pin, pinning, startGoPeer, startServer, type Server } from './processes.js';
import { footprint, footprintTable } from './footprint.js';
import { profileBreakdown, topFunctions } from './profileBreakdown.js';
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
  'scribe-sigv4',
  'scribe-sigv4@warn',
] as const;
type Target = (typeof allTargets)[number];
const targets: Target[] = allTargets.filter((t) => goPeer || t !== 'aws-sigv4-proxy');
const proxies = targets.filter((t) => t !== 'direct');

// ---- main ----------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

interface Summary extends LoadResult {
  /** Every round's CPU µs per request, for the record. */
  cpuRuns: number[];
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
      .map((t) => ({ t, rps: med(`${workload.name}|${t}`).rps }))
      .reduce((a, b) => (b.rps > a.rps ? b : a));
    const factor = direct / fastest.rps;
    const ok = factor >= validityFactor;
    validFor.set(workload.name, ok);
    notes.push(
      `${workload.name}: direct ${fmt(direct)} rps = ${fmt(factor, 1)}× the fastest proxy (${fastest.t}, ${fmt(fastest.rps)} rps): ${ok ? 'valid' : `INVALID (needs ≥ ${validityFactor}×)`}`,
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
    `- load: wrk (1 thread, ${connections} keep-alive connections, ${seconds} s a window), ${rounds} rounds, every target in every round, the order rotated; rps and latency the median of the rounds, CPU µs per request the least (another tenant's interference only ever adds CPU time)`,
  );
  header.push(
    pinning
      ? '- pinning: each proxy alone on CPU 0; wrk and the upstream on CPU 1 (taskset)'
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
    "- scribe-sigv4: the proxy's whole pipeline with a fixed session, one log line per request at LOG_LEVEL=info (to /dev/null, asynchronously, as the service logs) and one metric; scribe-sigv4@warn the same at warn",
  );
  header.push(
    "- CPU µs/req: the proxy process's user + system CPU time over the load window (/proc/<pid>/stat) divided by the requests wrk completed in it",
  );
  if (!goPeer)
    process.stderr.write(`notice: no aws-sigv4-proxy at ${goPeerPath}; its row is skipped\n`);

  pin(process.pid, 1);
  const upstream = await startServer('upstream', 1);
  const servers: Partial<Record<Exclude<Target, 'direct'>, Server>> = {
    'bare-node': await startServer('bare-node', 0, upstream.url),
    'scribe-sigv4': await startServer('scribe-sigv4', 0, upstream.url),
    'scribe-sigv4@warn': await startServer('scribe-sigv4', 0, upstream.url, { LOG_LEVEL: 'warn' }),
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
  for (let round = 0; round < rounds; round++) {
    for (const workload of workloads) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
      for (const target of order) {
        const key = `${workload.name}|${target}`;
        note(key, await load(urlOf(target), workload, options(pidOf(target))));
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
  for (const line of notes) out(`- validity, ${line}`);
  out();

  out(
    `## CPU per request, throughput, latency${valid ? '' : ` (INVALID for ${invalid.join(', ')})`}`,
  );
  out();
  out(
    "CPU µs per request of the proxy process (the headline: it moves least with the machine's noise); ×bare: that over bare-node's; Go ÷ this: aws-sigv4-proxy's CPU per request over this row's (above 1: cheaper than Go). Then rps (median) and wrk's latency percentiles.",
  );
  out();
  out(
    '| workload | target | CPU µs/req | ×bare | Go ÷ this | CPU µs/req, each round | rps | p50 ms | p99 ms | errors |',
  );
  out('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const ratio = (value: number, base: number) =>
    Number.isFinite(value) && Number.isFinite(base) && base > 0 ? `${fmt(value / base, 2)}×` : '–';
  for (const workload of workloads) {
    const bare = med(`${workload.name}|bare-node`);
    const go = med(`${workload.name}|aws-sigv4-proxy`);
    for (const target of targets) {
      const r = med(`${workload.name}|${target}`);
      const cpu = target === 'direct' ? '–' : fmt(r.cpuUs);
      const rounds = target === 'direct' ? '–' : r.cpuRuns.map((c) => fmt(c)).join(', ');
      const name = validFor.get(workload.name) ? workload.name : `${workload.name} (INVALID)`;
      out(
        `| ${name} | ${target} | ${cpu} | ${ratio(r.cpuUs, bare.cpuUs)} | ${ratio(go.cpuUs, r.cpuUs)} | ${rounds} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`,
      );
    }
  }
  out();

  // The in-process time spent ending each request, over every load run (see bench/servers.ts).
  const endOfRequestUs = async (t: 'scribe-sigv4' | 'scribe-sigv4@warn') =>
    (await serverOf(t).ask<{ endOfRequestUs: number }>('report')).endOfRequestUs;
  const endOfRequest = {
    info: await endOfRequestUs('scribe-sigv4'),
    warn: await endOfRequestUs('scribe-sigv4@warn'),
  };
  // Where scribe-sigv4's time goes on small GETs, at saturation: a CPU profile of one window.
  await serverOf('scribe-sigv4').ask('profile-start');
  const profiled = await load(
    urlOf('scribe-sigv4'),
    workloads[0] as Workload,
    options(pidOf('scribe-sigv4')),
  );
  const profileDir = (await serverOf('scribe-sigv4').ask<{ dir?: string }>('profile-stop')).dir;
  const breakdown = profileDir ? profileBreakdown(profileDir) : [];
  const top = profileDir ? topFunctions(profileDir, 25) : [];
  const upstreamUrl = upstream.url;
  for (const s of Object.values(servers)) s?.child.kill();

  const info = med('small GET|scribe-sigv4');
  const warn = med('small GET|scribe-sigv4@warn');
  const verdict = (ok: boolean) => (ok ? 'holds' : 'FAILS');
  const vsGo = (workload: string) => {
    const ours = med(`${workload}|scribe-sigv4`);
    const go = med(`${workload}|aws-sigv4-proxy`);
    return { cpu: go.cpuUs / ours.cpuUs, rps: ours.rps / go.rps, ours, go };
  };
  const notAResult = (what: string, workload: string) =>
    `- ${what}: INVALID, not a result (${workload}: direct was not ${validityFactor}× the fastest proxy)`;
  const goTarget = (workload: string, at: number) => {
    if (!goPeer) return `- Go CPU/req ÷ ours >= ${at} on ${workload}: not measured (no Go peer)`;
    if (!validFor.get(workload))
      return notAResult(`Go CPU/req ÷ ours >= ${at} on ${workload}`, workload);
    const r = vsGo(workload);
    return `- Go CPU/req ÷ ours >= ${at} on ${workload}: ${verdict(r.cpu >= at)} (${fmt(r.cpu, 2)}: ${fmt(r.ours.cpuUs)} µs against Go's ${fmt(r.go.cpuUs)} µs; rps ${fmt(r.rps, 2)}× Go's)`;
  };
  const bareGet = med('small GET|bare-node');
  const bareTarget = !validGet
    ? notAResult('ours within 1.5× of bare-node on small GETs', 'small GET')
    : `- ours within 1.5× of bare-node on small GETs: ${verdict(info.cpuUs / bareGet.cpuUs <= 1.5)} (${fmt(info.cpuUs / bareGet.cpuUs, 2)}×: ${fmt(info.cpuUs)} µs against ${fmt(bareGet.cpuUs)} µs)`;
  const infoCost = (endOfRequest.info - endOfRequest.warn) / warn.cpuUs;
  const logTarget = `- LOG_LEVEL=info costs at most 10% over warn: ${verdict(infoCost <= 0.1)} (${fmt(infoCost * 100, 1)}% of a small GET's CPU: the end of each request, its metric and log line, measured inside the proxy over every load window, takes ${fmt(endOfRequest.info, 1)} µs at info and ${fmt(endOfRequest.warn, 1)} µs at warn, against ${fmt(warn.cpuUs)} µs of CPU per small GET at warn)`;

  const profileSection = () => {
    out(`## Profile at saturation (scribe-sigv4, small GETs)${validGet ? '' : ' (INVALID)'}`);
    out();
    out(
      `V8's sampling profiler (every 500 µs, in the proxy process) during one more small-GET window under wrk: ${fmt(profiled.rps)} rps, ${fmt(profiled.cpuUs)} µs of CPU per request while profiled. The profiler slows what it watches, so the µs column applies each share to the ${fmt(info.cpuUs)} µs a small GET took unprofiled.`,
    );
    out();
    out('| work | share of busy time | ≈ µs of an unprofiled request |');
    out('| --- | --- | --- |');
    for (const row of breakdown) {
      out(`| ${row.kind} | ${fmt(row.share * 100, 0)}% | ${fmt(row.share * info.cpuUs, 1)} |`);
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
    if (process.env['BENCH_WRITE'] === '1') writeFileSync(resultsPath, `${lines.join('\n')}\n`);
    return;
  }

  const signing = await signingBench();
  const ttfbDirect: number[] = [];
  const ttfbProxy: number[] = [];
  {
    const proxy = await startServer('scribe-sigv4', 0, upstreamUrl);
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
  const clientRows = await compareUpstreamClients(seconds);
  const perClientStep = await perClientStepCost();
  const sessionMemory = bytesPerSession(2000);
  const storm = await refreshStorm();
  const signing1MiB = signing.find((r) => r.size === '1 MiB');
  const ratio1MiB = signing1MiB ? signing1MiB.ours / signing1MiB.sha256js : NaN;
  const shared = med('small GET|scribe-sigv4');
  const clients = med('per-client');
  const ctl = med('control');

  out('## Targets');
  out();
  out(goTarget('small GET', 1.2));
  out(goTarget('64 KiB POST', 2));
  out(bareTarget);
  out(logTarget);
  out(
    `- TTFB within 5 ms of direct: ${verdict(ttfb.proxy - ttfb.direct <= 5)} (+${fmt(ttfb.proxy - ttfb.direct, 2)} ms)`,
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
    `CPU per small GET, this run: bare-node (Node's HTTP in and out, nothing else) ${fmt(bareGet.cpuUs)} µs; the sigv4 control (scribe-proxy's whole pipeline, its signature computed once and re-sent) ${fmt(ctl.cpuUs)} µs; scribe-sigv4 ${fmt(info.cpuUs)} µs${goPeer ? `; aws-sigv4-proxy ${fmt(vsGo('small GET').go.cpuUs)} µs` : ''}. The hot-path signature itself is a few µs (signing table); the rest above bare-node is the pipeline (profile below), and bare-node's own cost is Node's HTTP server and client and the kernel's loopback delivery, which no change inside the proxy removes.`,
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
    `- direct: ${fmt(ttfb.direct, 2)} ms; through scribe-proxy (sigv4): ${fmt(ttfb.proxy, 2)} ms`,
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
    `- small GET, ${perClientLogins.length} accounts in turn, cache hits: ${fmt(clients.rps)} rps, ${fmt(clients.cpuUs)} µs CPU per request (shared mode, same run: ${fmt(shared.rps)} rps, ${fmt(shared.cpuUs)} µs); ${clients.errors} errors`,
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
    "Bare forwarders (no signing, no pipeline), one per client, alone on CPU 0, under wrk (bench/upstreamClients.ts): what the upstream client costs by itself. undici's `request` returns headers as an object; `dispatch` keeps them raw, as the proxy needs (order, case, repeats). The proxy keeps http.request + Agent: undici would replace the paths that carry the DESIGN.md guarantees (raw response headers, the keep-alive race retry, the idle timeout, the egress proxy agents shared with the Cognito clients).",
  );
  out();
  out('| workload | client | CPU µs/req | rps |');
  out('| --- | --- | --- | --- |');
  for (const r of clientRows)
    out(`| ${r.workload} | ${r.client} | ${fmt(r.cpuUs)} | ${fmt(r.rps)} |`);
  out();
  out('## Footprint: start-up time and memory of the command (bench/footprint.ts)');
  out();
  for (const line of footprintTable(await footprint(5))) out(line);
  out();
  const optimisations = optimisationLog();
  if (optimisations) out(optimisations);
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
