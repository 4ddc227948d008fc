// Memory per held per-client session: run with --expose-gc; prints JSON { bytesPerSession }.
import { startFakeCognito } from './fakeCognito.js';
import { benchAccount, perClientCache } from './perClientSessions.js';

const count = Number(process.argv[2] ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const cognito = await startFakeCognito();
const cache = perClientCache(cognito.url);
// One login first, so the SDK clients, agents and code are loaded before the baseline.
await cache.session('warm-up', 'warm-up-password');
gc();
const before = process.memoryUsage();
for (let i = 0; i < count; i += 25) {
  await Promise.all(
    Array.from({ length: Math.min(25, count - i) }, (_, j) => {
      const { username, password } = benchAccount(i + j);
      return cache.session(username, password);
    }),
  );
}
gc();
const after = process.memoryUsage();
const held = cache.size - 1;
process.stdout.write(
  `${JSON.stringify({
    sessions: held,
    bytesPerSession: (after.heapUsed + after.external - before.heapUsed - before.external) / held,
  })}\n`,
);
cache.close();
cognito.server.close();
process.exit(0);
