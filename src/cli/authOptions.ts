import { isChallenge, ScribeAuth, type Tokens } from '../auth/index.js';
import { ask, askNewPassword, canPrompt } from './prompt.js';
import { environmentWithDotEnv } from '../config/index.js';
import { readEgress } from '../http/index.js';
// Not the server's index: a credential fetch must not load the server, express and pino.
import { cognitoAgents } from '../server/cognitoAgents.js';
import { UsageError } from './usage.js';
import { newPasswordOption } from './cognitoOptionSpecs.js';

// The option lists and the endpoint check live apart, so that a command can be described and
// answered from a cache without loading the AWS SDK.
export {
  cognitoOptions,
  loginOptions,
  newPasswordOption,
  sessionFileOption,
} from './cognitoOptionSpecs.js';

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

export { checkEndpointOverrides } from './endpointOverrideCheck.js';

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
    // otplib is loaded when an MFA challenge comes, not on every credential fetch.
    if (secret) code = (await import('otplib')).generateSync({ secret });
    else if (canPrompt()) code = await ask('MFA code from your authenticator app: ');
    else throw new UsageError('MFA code required: set SCRIBE_MFA_SECRET or run on a terminal');
    return auth.respondToMfaChallenge(result.username, result.session, code);
  }
  if (isChallenge(result)) throw new UsageError(`unexpected challenge ${result.challengeName}`);
  return result;
}
