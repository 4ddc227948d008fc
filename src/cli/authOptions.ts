import { generateSync } from 'otplib';
import { isChallenge, ScribeAuth, type Tokens } from '../auth/index.js';
import { ask, askNewPassword, canPrompt } from './prompt.js';
import { checkEndpoint, environmentWithDotEnv } from '../config.js';
import { readEgress } from '../http/index.js';
import { cognitoAgents } from '../server/index.js';
import { UsageError } from './usage.js';
import type { OptionSpec } from './options.js';

/** Options every command that talks to Cognito shares. */
export const cognitoOptions: OptionSpec[] = [
  { flag: 'client-id', env: 'SCRIBE_CLIENT_ID', help: 'user pool app client id' },
  { flag: 'user-pool-id', env: 'SCRIBE_USER_POOL_ID', help: 'user pool id' },
  { flag: 'region', env: 'SCRIBE_REGION', help: 'AWS region of the pools (default eu-west-2)' },
  {
    flag: 'client-secret',
    env: 'SCRIBE_CLIENT_SECRET',
    help: 'app client secret, if any',
    secret: true,
  },
  {
    flag: 'cognito-endpoint',
    env: 'SCRIBE_COGNITO_ENDPOINT',
    help: 'user pool endpoint override (sandbox, tests)',
  },
];

/** The new password option: from SCRIBE_NEW_PASSWORD or a prompt, never required on argv. */
export const newPasswordOption: OptionSpec = {
  flag: 'new-password',
  env: 'SCRIBE_NEW_PASSWORD',
  help: 'the new password (prefer the prompt or the env variable)',
  secret: true,
};

/** Options of commands that log in. */
export const loginOptions: OptionSpec[] = [
  { flag: 'username', env: 'SCRIBE_USERNAME', help: 'username' },
  {
    flag: 'password',
    env: 'SCRIBE_PASSWORD',
    help: 'password (prefer the prompt or a file: argv is visible to other users)',
    secret: true,
  },
  {
    flag: 'refresh-token',
    env: 'SCRIBE_REFRESH_TOKEN',
    help: 'log in with a refresh token instead',
    secret: true,
  },
  {
    flag: 'mfa-secret',
    env: 'SCRIBE_MFA_SECRET',
    help: 'TOTP secret, to answer MFA unattended',
    secret: true,
  },
  newPasswordOption,
];

/** Options naming the session file. */
export const sessionFileOption: OptionSpec = {
  flag: 'session-file',
  env: 'SCRIBE_SESSION_FILE',
  help: 'file that keeps the refresh token (written 0600)',
};

/** A secret from its option/env, else asked for on a terminal, else a usage error. */
export async function secretInput(
  values: Record<string, string | undefined>,
  flag: string,
  env: string,
  question: string,
): Promise<string> {
  const value = values[flag];
  if (value) return value;
  if (!canPrompt())
    throw new UsageError(`missing ${env}: set it, or run on a terminal to be asked`);
  const answer = await ask(question, true);
  if (!answer) throw new UsageError(`no value given for ${env}`);
  return answer;
}

/**
 * The new password: from --new-password / SCRIBE_NEW_PASSWORD, else asked twice on a terminal
 * (hidden; a mismatch asks again, three fail), else a usage error.
 */
export async function newPasswordInput(
  values: Record<string, string | undefined>,
  question = 'New password: ',
): Promise<string> {
  const value = values[newPasswordOption.flag];
  if (value) return value;
  if (!canPrompt()) {
    throw new UsageError('missing SCRIBE_NEW_PASSWORD: set it, or run on a terminal to be asked');
  }
  const chosen = await askNewPassword(question);
  if (!chosen)
    throw new UsageError('no new password: the two entries did not match, or were empty');
  return chosen;
}

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

/** A ScribeAuth built from parsed options. */
export function authFrom(values: Record<string, string | undefined>): ScribeAuth {
  return new ScribeAuth({
    clientId: values['client-id'] ?? '',
    userPoolId: values['user-pool-id'],
    identityPoolId: values['identity-pool-id'],
    region: values['region'],
    clientSecret: values['client-secret'],
    endpoints: {
      cognitoIdentityProvider: values['cognito-endpoint'],
      cognitoIdentity: values['identity-endpoint'],
    },
    // Through the egress proxy, as the proxy reaches Cognito (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
    agents: cognitoAgents(
      {
        region: values['region'] ?? 'eu-west-2',
        cognitoEndpoint: values['cognito-endpoint'],
        identityEndpoint: values['identity-endpoint'],
      },
      egressSettings(),
    ),
    requestTimeoutMs: cognitoTimeoutMs(),
  });
}

/** COGNITO_TIMEOUT_MS, read and checked as `serve` reads it; a problem is a usage error. */
function cognitoTimeoutMs(): number | undefined {
  const raw = environmentWithDotEnv()['COGNITO_TIMEOUT_MS']?.trim();
  if (!raw) return undefined;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 600_000) {
    throw new UsageError(
      'COGNITO_TIMEOUT_MS must be a whole number from 1 to 600000; for example COGNITO_TIMEOUT_MS=10000',
    );
  }
  return ms;
}

/** The egress proxy settings, read and checked as `serve` reads them; a problem is a usage error. */
function egressSettings() {
  const { egress, problems } = readEgress(environmentWithDotEnv());
  if (problems.length > 0) throw new UsageError(`invalid configuration: ${problems.join('; ')}`);
  return egress;
}

/**
 * Log in from options: a refresh token, else username and password (prompted on a terminal).
 * Answers MFA with the TOTP secret or a prompt, and a temporary password with a prompt.
 */
export async function logIn(
  auth: ScribeAuth,
  values: Record<string, string | undefined>,
): Promise<Tokens> {
  const refreshToken = values['refresh-token'];
  if (refreshToken) {
    const result = await auth.getTokens({ refreshToken, username: values['username'] });
    if (isChallenge(result)) throw new UsageError(`unexpected ${result.challengeName} on refresh`);
    return result;
  }
  const username = values['username'];
  if (!username)
    throw new UsageError('missing --username (or SCRIBE_USERNAME), or --refresh-token');
  const password = await secretInput(
    values,
    'password',
    'SCRIBE_PASSWORD',
    `Password for ${username}: `,
  );
  let result = await auth.getTokens({ username, password });
  if (isChallenge(result) && result.challengeName === 'NEW_PASSWORD_REQUIRED') {
    if (!values['new-password'] && !canPrompt()) {
      throw new UsageError(
        'the password is temporary and must be changed: set SCRIBE_NEW_PASSWORD or run on a terminal',
      );
    }
    const newPassword = await newPasswordInput(
      values,
      'Temporary password: choose a new password: ',
    );
    result = await auth.respondToNewPasswordChallenge(result.username, result.session, newPassword);
  }
  if (isChallenge(result) && result.challengeName === 'SOFTWARE_TOKEN_MFA') {
    const secret = values['mfa-secret'];
    let code: string;
    if (secret) code = generateSync({ secret });
    else if (canPrompt()) code = await ask('MFA code from your authenticator app: ');
    else throw new UsageError('MFA code required: set SCRIBE_MFA_SECRET or run on a terminal');
    return auth.respondToMfaChallenge(result.username, result.session, code);
  }
  if (isChallenge(result)) throw new UsageError(`unexpected challenge ${result.challengeName}`);
  return result;
}
