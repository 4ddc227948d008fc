import { checkEndpoint, dotEnvFile } from '../config/index.js';
import type { SessionFileContents, SessionSettings } from '../session/sessionFile.js';
import { UsageError } from './usage.js';

/** Each setting a session file keeps, with the option and variable that give it otherwise. */
const settingOptions = [
  { name: 'clientId', flag: 'client-id', env: 'SCRIBE_CLIENT_ID' },
  { name: 'userPoolId', flag: 'user-pool-id', env: 'SCRIBE_USER_POOL_ID' },
  { name: 'identityPoolId', flag: 'identity-pool-id', env: 'SCRIBE_IDENTITY_POOL_ID' },
  { name: 'region', flag: 'region', env: 'SCRIBE_REGION' },
  { name: 'cognitoEndpoint', flag: 'cognito-endpoint', env: 'SCRIBE_COGNITO_ENDPOINT' },
  { name: 'identityEndpoint', flag: 'identity-endpoint', env: 'SCRIBE_IDENTITY_ENDPOINT' },
] as const;

/** The region Cognito is reached in when none is given (ScribeAuth's default). */
export const defaultRegion = 'eu-west-2';

/**
 * The settings to keep beside a refresh token, from the options it was obtained with: the
 * endpoints in use too, so that a session made against a sandbox keeps working from any
 * directory. Never a password or the client secret.
 */
export function sessionSettingsOf(values: Record<string, string | undefined>): SessionSettings {
  const settings: SessionSettings = {};
  for (const { name, flag } of settingOptions) settings[name] = values[flag];
  settings.region ??= defaultRegion;
  return settings;
}

/**
 * Fill the options that flags, the environment and .env left unset from what the session file
 * keeps, so that `--session-file` alone is enough from any directory. An option that names
 * another value than the file's is refused: the token belongs to the file's pools, and an
 * endpoint from a stray `.env` must not receive it. A file without settings (written before they
 * were kept) leaves the options as they are.
 */
export function applySessionSettings(
  values: Record<string, string | undefined>,
  saved: SessionFileContents,
  file: string,
): void {
  if (!saved.clientId) {
    refuseDotEnvEndpoints(values, file);
    return;
  }
  for (const { name, flag, env } of settingOptions) {
    if (!Object.hasOwn(values, flag)) continue; // not an option of this command
    const kept = saved[name] ?? (name === 'region' ? defaultRegion : undefined);
    const given = values[flag];
    if (given === undefined) {
      values[flag] = kept;
      continue;
    }
    // Unset in the file: an id it never needed (filled from here), or no endpoint override.
    if (kept === undefined && !name.endsWith('Endpoint')) continue;
    if (kept !== undefined && sameSetting(flag, given, kept)) continue;
    const keptText = kept === undefined ? `without ${env}` : `for ${env}=${kept}`;
    throw new UsageError(
      `the session file ${file} was written ${keptText}, but a flag, the environment or .env gives ${env}=${given}: remove that setting, or log in again with it (scribe-proxy login --session-file ${file})`,
    );
  }
}

/** Two values of one option are the same (endpoints compared as the CLI checks them). */
function sameSetting(flag: string, a: string, b: string): boolean {
  if (!flag.endsWith('-endpoint')) return a === b;
  return (checkEndpoint(flag, a).url ?? a) === (checkEndpoint(flag, b).url ?? b);
}

/**
 * For a file that keeps no settings (written before they were kept): an endpoint that only the
 * `.env` of the working directory gives is refused. `credentials` runs wherever the aws CLI runs,
 * and a cloned project's `.env` (https is allowed anywhere) would otherwise receive the refresh
 * token. The environment and flags are the user's own.
 */
function refuseDotEnvEndpoints(
  values: Record<string, string | undefined>,
  file: string,
  environment: NodeJS.ProcessEnv = process.env,
): void {
  const dotEnv = dotEnvFile();
  for (const { flag, env } of settingOptions) {
    const given = values[flag];
    if (!flag.endsWith('-endpoint') || given === undefined || environment[env]) continue;
    if (dotEnv[env] !== given) continue;
    throw new UsageError(
      `the session file ${file} keeps no endpoint, and only the .env file in the working directory gives ${env}=${given}: an endpoint from a project's .env must not receive the session's refresh token. Set ${env} in the environment, or log in again so the file keeps its settings (scribe-proxy login --session-file ${file})`,
    );
  }
}
