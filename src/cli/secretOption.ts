import { readFileSync } from 'node:fs';
import { readSecretFile } from '../config/index.js';
import type { OptionSpec } from './options.js';
import { UsageError } from './usage.js';

/**
 * A secret option's value: `--flag` (warned about: argv shows in `ps` and shell history), else
 * `--flag-file FILE` (`-` for standard input), else its variable, else the variable's `_FILE`.
 * Two forms at one level (both flags, or both variables) are a usage error.
 */
export function secretValue(
  spec: OptionSpec,
  given: { value: unknown; file: unknown },
  env: NodeJS.ProcessEnv,
  stdin: { used: boolean },
): string | undefined {
  const flag = `--${spec.flag}`;
  const value = typeof given.value === 'string' && given.value !== '' ? given.value : undefined;
  const file = typeof given.file === 'string' && given.file !== '' ? given.file : undefined;
  if (value !== undefined && file !== undefined) {
    throw new UsageError(`give ${flag} or ${flag}-file, not both`);
  }
  if (value !== undefined) {
    process.stderr.write(
      `scribe-proxy: warning: ${flag} on the command line is visible to other users (ps) and kept in shell history; use ${flag}-file FILE, ${flag}-file - (standard input)${spec.env ? `, ${spec.env}` : ''} or the prompt\n`,
    );
    return value;
  }
  if (file !== undefined) return readSecret(file, `${flag}-file`, stdin);
  if (!spec.env) return undefined;
  const fromEnv = env[spec.env] || undefined;
  const envFile = env[`${spec.env}_FILE`]?.trim() || undefined;
  if (fromEnv !== undefined && envFile !== undefined) {
    throw new UsageError(`set ${spec.env} or ${spec.env}_FILE, not both`);
  }
  return fromEnv ?? (envFile ? readSecret(envFile, `${spec.env}_FILE`, stdin) : undefined);
}

/** A secret from a file, or from standard input for `-` (once), trailing newline trimmed. */
function readSecret(path: string, source: string, stdin: { used: boolean }): string | undefined {
  try {
    if (path !== '-') return readSecretFile(path) || undefined;
    if (stdin.used) throw new UsageError(`only one secret can come from standard input`);
    stdin.used = true;
    return readFileSync(0, 'utf8').replace(/\r?\n$/, '') || undefined;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    // Not the path itself, as serve does not: a secret given where its file goes would be shown.
    throw new UsageError(
      path === '-'
        ? `${source}: cannot read standard input (${code})`
        : `${source} names a file that cannot be read (${code})`,
    );
  }
}
