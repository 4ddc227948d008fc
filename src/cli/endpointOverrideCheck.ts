import { checkEndpoint } from '../config/index.js';
import { UsageError } from './usage.js';

/**
 * Check the endpoint overrides (https, or http to loopback only: a `.env` in the working
 * directory could otherwise send the password anywhere) and say on stderr which are in force.
 */
export function checkEndpointOverrides(values: Record<string, string | undefined>): void {
  const overrides = [
    ['cognito-endpoint', 'SCRIBE_COGNITO_ENDPOINT'],
    ['identity-endpoint', 'SCRIBE_IDENTITY_ENDPOINT'],
  ] as const;
  for (const [flag, env] of overrides) {
    const raw = values[flag];
    if (!raw) continue;
    const checked = checkEndpoint(env, raw);
    if (checked.problem) throw new UsageError(checked.problem.replace(/^invalid setting: /, ''));
    values[flag] = checked.url;
    sayEndpointOverride(`${env}=${checked.url}`);
  }
}

/** Say on stderr (stdout is the command's output) that an override, `NAME=url`, is in force. */
export function sayEndpointOverride(override: string): void {
  process.stderr.write(`scribe-proxy: endpoint override in force: ${override}\n`);
}
