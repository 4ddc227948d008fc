import {
  ConfigError,
  endpointOverrides,
  environmentWithDotEnv,
  loadConfig,
  type Config,
} from '../../config/index.js';
import { sayEndpointOverride } from '../endpointOverrideCheck.js';
import { helpText, parseOptions, type OptionSpec } from '../options.js';
import { UsageError } from '../usage.js';

const specs: OptionSpec[] = [
  {
    flag: 'online',
    boolean: true,
    help: 'also log in and (sigv4) fetch the credentials, saying which step failed',
  },
];

export const checkHelp = helpText(
  'Usage: scribe-proxy check [--online]',
  'Validate the configuration (environment and .env) without starting the proxy, and print it\nresolved, secrets masked. Exits 2 on a configuration problem, 1 when an online step fails.',
  specs,
);

/** Settings whose values are never printed: only whether they are set. */
const secret = /password|secret|token/i;

/** A URL with any user:password in it masked. */
function maskUrl(value: string): string {
  return value.replace(/\/\/[^/@\s]+@/, '//***@');
}

/** The resolved configuration, one `name: value` line each, secrets masked. */
export function describeConfig(config: Config): string {
  const entries = Object.entries(config as unknown as Record<string, unknown>);
  const width = Math.max(...entries.map(([k]) => k.length)) + 2;
  return entries
    .map(([key, value]) => {
      let shown: string;
      if (value === undefined) shown = '(not set)';
      else if (secret.test(key)) shown = '*** (set)';
      else if (value instanceof URL) shown = maskUrl(value.toString());
      else if (typeof value === 'object' && value !== null) {
        shown = JSON.stringify(value, (k, v: unknown) =>
          k && secret.test(k) && v !== undefined ? '***' : v,
        );
      } else shown = maskUrl(String(value));
      return `  ${`${key}:`.padEnd(width)}${shown}`;
    })
    .join('\n');
}

/** `scribe-proxy check [--online]`: is the configuration right, and (online) does it log in? */
export async function checkCommand(argv: string[], print: (text: string) => void): Promise<void> {
  const values = parseOptions(argv, specs, {});
  if (values['help']) return print(checkHelp);
  const env = environmentWithDotEnv();
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  // As every other command does: a .env in the working directory may have set them.
  for (const override of endpointOverrides(config)) sayEndpointOverride(override);
  print(`The configuration is valid:\n${describeConfig(config)}`);
  if (!values['online']) return;
  // The Cognito clients are loaded for --online alone.
  const { checkOnline } = await import('../checkOnline.js');
  const ok = await checkOnline(config, env, (step) =>
    print(`${step.ok ? '✓' : '✗'} ${step.step}: ${step.detail}`),
  );
  if (!ok) throw new CheckFailed();
}

/** An online step failed; the step's line already says which and why. */
export class CheckFailed extends Error {
  constructor() {
    super('the online check failed (see the step marked ✗)');
  }
}
