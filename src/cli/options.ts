import { parseArgs, type ParseArgsConfig } from 'node:util';
import { environmentWithDotEnv } from '../config/index.js';
import { secretValue } from './secretOption.js';
import { UsageError } from './usage.js';
import { closest } from './closest.js';
import { notShown, quotedArgument, shownArgument } from './settingHint.js';

/** One command-line option, with the environment variable it falls back to. */
export interface OptionSpec {
  flag: string;
  env?: string;
  help: string;
  boolean?: boolean;
  /** A secret: it also has a `--<flag>-file FILE|-` form, and a warning when given on argv. */
  secret?: boolean;
}

/**
 * Parse argv against specs; unknown flags or stray arguments are usage errors. Each option falls
 * back to its environment variable, and the environment to a `.env` file in the working directory
 * (flags > environment > .env), the same way for every command.
 */
export function parseOptions(
  argv: string[],
  specs: OptionSpec[],
  env: NodeJS.ProcessEnv = environmentWithDotEnv(),
): Record<string, string | undefined> & { help?: string } {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const spec of specs) {
    options[spec.flag] = { type: spec.boolean ? 'boolean' : 'string' };
    if (spec.secret) options[`${spec.flag}-file`] = { type: 'string' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw strayArgument(argv, options);
    const message = (err as Error).message.split('\n')[0] ?? 'bad arguments';
    const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
    if (unknown) {
      const flags = ['help', ...specs.map((s) => s.flag)];
      const guess = closest(unknown[2] as string, flags);
      const hint = guess ? ` (did you mean --${guess}?)` : '';
      const shown = shownArgument(`${unknown[1]}${unknown[2]}`, flags) ?? notShown;
      throw new UsageError(`unknown option ${shown}${hint}; --help lists them`);
    }
    throw new UsageError(message);
  }
  const result: Record<string, string | undefined> = {};
  const stdin = { used: false };
  for (const spec of specs) {
    const value = values[spec.flag];
    if (spec.secret) {
      const file = values[`${spec.flag}-file`];
      result[spec.flag] = secretValue(spec, { value, file }, env, stdin) as string | undefined;
      continue;
    }
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (typeof value === 'boolean') result[spec.flag] = value ? 'true' : undefined;
    else result[spec.flag] = value !== undefined && value !== '' ? value : fromEnv || undefined;
  }
  if (values['help']) result['help'] = 'true';
  return result;
}

/**
 * The usage error for an argument where none goes, shown only when it cannot be a secret (it is
 * often one: `--password= hunter2` gives an empty password and a stray argument).
 */
function strayArgument(argv: string[], options: ParseArgsConfig['options']): UsageError {
  const { tokens } = parseArgs({ args: argv, options, strict: false, tokens: true });
  const stray = tokens.find((token) => token.kind === 'positional');
  const before = stray ? argv[stray.index - 1] : undefined;
  const empty =
    before !== undefined && /^--[a-z-]+=$/.test(before)
      ? `; '${before}' is empty: write ${before}VALUE, without a space`
      : '';
  return new UsageError(
    `unexpected argument ${quotedArgument(stray?.value ?? '')}: this command takes options only${empty}; --help lists them`,
  );
}

/** Fail with a usage error naming every required option that has no value. */
export function requireOptions(
  values: Record<string, string | undefined>,
  specs: OptionSpec[],
  names: string[],
): void {
  const missing = names.filter((name) => !values[name]);
  if (missing.length === 0) return;
  const described = missing.map((name) => {
    const spec = specs.find((s) => s.flag === name);
    return spec?.env ? `--${name} (or ${spec.env})` : `--${name}`;
  });
  throw new UsageError(`missing ${described.join(', ')}`);
}

/** The help text of a command: its usage line, then one line per option. */
export function helpText(usage: string, summary: string, specs: OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.flag.length + (s.secret ? 5 : 0))) + 4;
  const lines = specs.flatMap((s) => [
    `  --${s.flag.padEnd(width)}${s.help}${s.env ? ` [env ${s.env}]` : ''}`,
    ...(s.secret
      ? [
          `  --${`${s.flag}-file`.padEnd(width)}read it from a file, or - for standard input${s.env ? ` [env ${s.env}_FILE]` : ''}`,
        ]
      : []),
  ]);
  return `${usage}\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n  --${'help'.padEnd(width)}show this help\n`;
}
