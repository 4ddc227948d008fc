// `npm run sandbox` builds (tsc, then scripts/bundle.js) only when a source is newer than the
// last build: a full type-check takes 10 s on a quiet machine and half a minute on a busy one,
// for a sandbox that starts in one. tsc itself is incremental (tsconfig.json's tsBuildInfoFile),
// so a stale checkout recompiles only what changed. Plain JavaScript: it runs before anything is
// compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Written by every build (tsconfig.json's tsBuildInfoFile); not by `npm run typecheck`. */
const stamp = join(root, 'dist', '.tsbuildinfo');
const inputs = ['tsconfig.json', 'package-lock.json'];
const sourceDirs = ['src', 'test', 'bench'];

/** The newest modification time (ms) of the TypeScript sources under `dir`, and of `dir`. */
function newestUnder(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  const outputs = [
    join(root, 'dist', 'src', 'cli', 'main.js'),
    join(root, 'dist', 'cli', 'main.js'),
  ];
  if (!existsSync(stamp) || !outputs.every((f) => existsSync(f))) return true;
  // A plain `tsc` writes the stamp without bundling: the older of the two is the last build.
  const built = Math.min(statSync(stamp).mtimeMs, statSync(outputs[1]).mtimeMs);
  const newest = Math.max(
    ...inputs.map((f) => statSync(join(root, f)).mtimeMs),
    ...sourceDirs.map((d) => newestUnder(join(root, d))),
  );
  return newest > built;
}

if (stale()) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  await import('./bundle.js');
  // tsc leaves the stamp alone when nothing changed (a file touched, not edited).
  const now = new Date();
  utimesSync(stamp, now, now);
}
