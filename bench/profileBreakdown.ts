import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A V8 CPU profile (node --cpu-prof), as much of it as the breakdown reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Where the busy time went, by kind of work, in the order the table shows. */
const kinds = [
  'socket writes (syscalls; on loopback they include delivery)',
  'Node HTTP client and server (node:_http_*, agent, parser)',
  'streams, events, abort signals, timers',
  'our code (src/: pipeline, passes, signer, session)',
  'the request log line (pino)',
  'crypto (hashes, HMACs)',
  'garbage collection',
  'everything else (V8, microtasks, native)',
] as const;
export type WorkKind = (typeof kinds)[number];

const socketWrites = new Set([
  'writev',
  'writeLatin1String',
  'writeUtf8String',
  'writeBuffer',
  'writeString',
  'writeAsciiString',
]);

function kindOf(functionName: string, url: string): WorkKind | 'idle' {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url === '' && socketWrites.has(functionName)) return kinds[0];
  if (/node:_http_|node:http|http_parser|node:internal\/http/.test(url)) return kinds[1];
  if (
    /node:internal\/streams|node:events|node:internal\/event_target|abort_controller|node:internal\/timers|node:timers|node:net|stream_base_commons/.test(
      url,
    )
  )
    return kinds[2];
  if (url.includes('/dist/src/')) return kinds[3];
  if (
    /node_modules\/(pino|sonic-boom|fast-redact|quick-format|safe-stable-stringify|atomic-sleep|on-exit-leak-free|thread-stream)/.test(
      url,
    )
  )
    return kinds[4];
  if (url.includes('node:internal/crypto') || /^(Hmac|Hash|update|digest)$/.test(functionName))
    return kinds[5];
  return kinds[7];
}

/** The busy time of the profile(s) in `dir`, by kind of work, as shares of it (idle left out). */
export function profileBreakdown(dir: string): Array<{ kind: WorkKind; share: number }> {
  const totals = new Map<WorkKind, number>(kinds.map((k) => [k, 0]));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id);
      const kind = kindOf(frame?.functionName ?? '', frame?.url ?? '');
      if (kind !== 'idle') totals.set(kind, (totals.get(kind) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
  }
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return kinds.map((kind) => ({ kind, share: busy > 0 ? (totals.get(kind) ?? 0) / busy : NaN }));
}

/** The `n` functions with the most self time in the profile(s) in `dir`, as shares of busy time. */
export function topFunctions(
  dir: string,
  n: number,
): Array<{ name: string; where: string; share: number }> {
  const self = new Map<string, { name: string; where: string; us: number }>();
  let busy = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id);
      const name = frame?.functionName || '(anonymous)';
      if (name === '(idle)') return;
      const where = shortUrl(frame?.url ?? '');
      const key = `${name}@${where}`;
      const us = profile.timeDeltas[i] ?? 0;
      busy += us;
      const entry = self.get(key) ?? { name, where, us: 0 };
      entry.us += us;
      self.set(key, entry);
    });
  }
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map(({ name, where, us }) => ({ name, where, share: busy > 0 ? us / busy : NaN }));
}

/** A profile frame's file, short: `node:_http_server`, `src/proxy/send.js`, `pino/lib/tools.js`. */
function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const src = url.indexOf('/dist/');
  if (src !== -1) return url.slice(src + '/dist/'.length);
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) return url.slice(modules + 'node_modules/'.length);
  return url;
}
