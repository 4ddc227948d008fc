import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const cliBin = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
/** The command as shipped: bundled by scripts/bundle.js (the package's bin, the image's). */
export const shippedBin = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI with only PATH plus `env` in its environment and no terminal attached;
 * `input` is piped to its standard input.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
  input?: string,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cliBin, ...args],
      {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        timeout: 20_000,
        ...(cwd ? { cwd } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // What a pipe into the command would give it; nothing (end of input) by default.
    child.stdin?.end(input ?? '');
  });
}
