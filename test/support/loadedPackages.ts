import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBin } from './cli.js';

const probe = fileURLToPath(new URL('./loadProbe.js', import.meta.url));

/** The packages (`express`, `@aws-sdk/client-cognito-identity`) among the URLs of a load list. */
export function packagesIn(urls: string[]): Set<string> {
  const names = urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]);
  return new Set(names.filter((name): name is string => name !== undefined));
}

/** What a run loaded: the URL of every module, and the packages among them. */
export interface Loaded {
  urls: string[];
  packages: Set<string>;
}

/**
 * Run the built CLI with `args` under the load probe (only PATH plus `env` in its environment);
 * `whileRunning` gets the child, and the run ends when it resolves (or when the CLI exits).
 * Returns what the CLI loaded until then.
 */
export async function packagesLoadedBy(
  args: string[],
  env: Record<string, string> = {},
  whileRunning?: (child: ChildProcess) => Promise<void>,
): Promise<Loaded> {
  const dir = await mkdtemp(join(tmpdir(), 'scribe-load-probe-'));
  const file = join(dir, 'loaded.txt');
  try {
    const child = spawn(process.execPath, ['--import', probe, cliBin, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env, LOAD_PROBE_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (whileRunning) {
      await whileRunning(child);
      child.kill('SIGTERM');
    }
    await exited;
    const urls = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { urls, packages: packagesIn(urls) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
