// The scribe-proxy command as a few bundled files (dist/cli/), built from tsc's output: a process
// that starts reads and compiles a handful of minified files instead of about a thousand modules
// (express's, the AWS SDK's), which halved `serve`'s start and cut its memory (bench/footprint.ts,
// docs/performance.md). Each command stays a chunk of its own, loaded when it runs. The library
// (dist/src/index.js) is not bundled: its users bundle it their own way.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Chunk names change with their content: chunks of an earlier build would otherwise stay beside
// the new ones (and be packed).
rmSync(join(root, 'dist', 'cli'), { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outdir: join(root, 'dist', 'cli'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // The ESM builds of dependencies that have one: their unused exports are left out.
  mainFields: ['module', 'main'],
  // pino-pretty is required at run time, and only for LOG_FORMAT=pretty: it stays a dependency.
  external: ['pino-pretty'],
  // CommonJS dependencies bundled into ES modules still call require for Node's own modules.
  banner: {
    js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  },
  logLevel: 'warning',
});
