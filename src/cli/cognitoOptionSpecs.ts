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

/** The identity pool, for commands that trade tokens for federated credentials. */
export const identityOptions: OptionSpec[] = [
  { flag: 'identity-pool-id', env: 'SCRIBE_IDENTITY_POOL_ID', help: 'identity pool id' },
  {
    flag: 'identity-endpoint',
    env: 'SCRIBE_IDENTITY_ENDPOINT',
    help: 'Cognito Identity endpoint override (sandbox, tests)',
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
