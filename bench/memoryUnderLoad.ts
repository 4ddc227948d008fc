/**
 * What one `scribe-proxy serve` holds once ready and after a stretch of load, under a memory
 * limit or not (docs/performance.md, "After traffic"): the bundled command with its defaults,
 * the benchmark's upstream and stand-in Cognito, small GETs from wrk for MEMORY_SECONDS (10).
 *   node dist/bench/memoryUnderLoad.js
 * MEMORY_CGROUP=NAME starts it in /sys/fs/cgroup/memory/NAME (cgroup v1, made and limited by the
 * caller: mkdir, then the limit in memory.limit_in_bytes); MEMORY_NODE_ARGS, options for node
 * itself (--max-semi-space-size=4). Run it with the Node to measure: `serve` runs on the same.
 */
import { startFakeCognito } from './fakeCognito.js';
import { memoryOf } from './footprint.js';
import { load, workloads } from './load.js';
import { pin, startServe, startUpstream } from './processes.js';
import { requireWrk } from './wrk.js';

const seconds = Number(process.env['MEMORY_SECONDS'] ?? 10);
const cgroup = process.env['MEMORY_CGROUP'];
const nodeArgs = (process.env['MEMORY_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

requireWrk();
pin(process.pid, 1);
const upstream = await startUpstream(1);
const cognito = await startFakeCognito();
try {
  const serve = await startServe(upstream.url, 0, cognito.url, {
    nodeArgs,
    ...(cgroup ? { memoryCgroup: cgroup } : {}),
  });
  const pid = serve.child.pid as number;
  // As the footprint reads it: the first request's garbage and lazy compilation settled.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const ready = memoryOf(pid);
  const small = workloads[0];
  if (!small) throw new Error('no workload');
  const result = await load(serve.url, small, { connections: 8, seconds, proxyPid: pid });
  const after = memoryOf(pid);
  serve.child.kill();
  process.stdout.write(
    `Node ${process.version}, ${cgroup ? `cgroup ${cgroup}` : 'no cgroup'}${nodeArgs.length ? `, ${nodeArgs.join(' ')}` : ''}: ` +
      `RSS once ready ${ready.rss.toFixed(1)} MiB; after ${seconds} s of ${small.name} (${result.rps.toFixed(0)} rps) ` +
      `${after.rss.toFixed(1)} MiB, peak ${after.peak.toFixed(1)} MiB\n`,
  );
} finally {
  upstream.child.kill();
  cognito.server.close();
}
process.exit(0);
