import type { Config } from './index.js';
import type { ConfigReader } from './ConfigReader.js';
import { sharedAccountVariables } from './variables.js';

/**
 * Who logs in and who may call: the account and its secrets (shared mode) or one login per client
 * (per-client mode), the admin token, and the token clients must present.
 */
export function readLogin(
  read: ConfigReader,
): Pick<
  Config,
  | 'username'
  | 'password'
  | 'refreshToken'
  | 'sessionFile'
  | 'adminToken'
  | 'clientSecret'
  | 'mfaSecret'
  | 'sessions'
  | 'proxyClientToken'
> {
  const username = read.text('SCRIBE_USERNAME');
  const password = read.secret('SCRIBE_PASSWORD');
  const refreshToken = read.secret('SCRIBE_REFRESH_TOKEN')?.trim() || undefined;
  const sessionFile = read.text('SCRIBE_SESSION_FILE');
  const adminToken = read.token('ADMIN_TOKEN');
  const clientSecret = read.secret('SCRIBE_CLIENT_SECRET');
  const mfaSecret = read.secret('SCRIBE_MFA_SECRET')?.trim() || undefined;
  const sessions = read.oneOf('PROXY_SESSIONS', ['shared', 'per-client'], 'shared') ?? 'shared';
  if (sessions === 'per-client') {
    checkNoSharedAccount(read);
  } else {
    checkLoginSource(read, { username, password, refreshToken, sessionFile, adminToken });
  }
  const proxyClientToken = read.token('PROXY_CLIENT_TOKEN');
  return {
    username,
    password,
    refreshToken,
    sessionFile,
    adminToken,
    clientSecret,
    mfaSecret,
    sessions,
    proxyClientToken,
  };
}

/** Per-client mode: one account's settings would silently go unused, so each is refused. */
function checkNoSharedAccount(read: ConfigReader): void {
  for (const name of sharedAccountVariables) {
    if (read.env[name]) {
      read.problem(
        `invalid setting: ${name} is for PROXY_SESSIONS=shared (in per-client mode each client sends its own login)`,
      );
    }
  }
}

/** Shared mode: the account can log in somehow, and a password comes with its username. */
function checkLoginSource(
  read: ConfigReader,
  login: Pick<Config, 'username' | 'password' | 'refreshToken' | 'sessionFile' | 'adminToken'>,
): void {
  const { username, password, refreshToken, sessionFile, adminToken } = login;
  if (password && !username) {
    read.problem('missing setting: SCRIBE_USERNAME (SCRIBE_PASSWORD is set)');
  }
  if (!refreshToken && !(username && password) && !sessionFile && !adminToken) {
    read.problem(
      'no login source: set SCRIBE_USERNAME and SCRIBE_PASSWORD, or SCRIBE_REFRESH_TOKEN, ' +
        'or SCRIBE_SESSION_FILE, or ADMIN_TOKEN to log in through the admin API',
    );
  }
}
