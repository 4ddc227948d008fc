import { basicCredentials, CredentialsNotUtf8Error } from '../http/index.js';
import {
  ClientLoginError,
  refusalPolicy,
  type RefusedOutcome,
  type SessionCache,
} from '../session/index.js';
import type { SessionSource } from './authorizers.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/** Where a request's session comes from: the one shared account, or the client's own login. */
export type SessionChoice =
  { kind: 'shared'; session: SessionSource } | { kind: 'per-client'; cache: SessionCache };

const challengeBasic = { 'www-authenticate': 'Basic realm="scribe-proxy", charset="UTF-8"' };

/** What a client sees when its login gives no session, and what it can do. */
const refusals: Record<RefusedOutcome, { status: number; code: string; message: string }> = {
  rejected: {
    status: 401,
    code: 'login_failed',
    message: 'Scribe refused this username and password',
  },
  'user-locked': {
    status: 401,
    code: 'login_failed',
    message: `this user name is locked at this gateway for repeated failed logins (${refusalPolicy.maxRejectedPerUser} refused passwords in ${refusalPolicy.userWindowMs / 60_000} min; Cognito locks accounts after a few): no password is tried for it, the right one neither, until the oldest failure is ${refusalPolicy.userWindowMs / 60_000} min old`,
  },
  'new-password-required': {
    status: 403,
    code: 'new_password_required',
    message:
      'this account still has its temporary password: set a new one with `scribe-proxy change-password`, then send that',
  },
  'mfa-required': {
    status: 403,
    code: 'mfa_required',
    message:
      'this account asks for an MFA code at each login, which a per-client gateway cannot answer: use a shared-mode proxy with SCRIBE_MFA_SECRET (or `scribe-proxy login`) for it',
  },
  'reset-required': {
    status: 403,
    code: 'password_reset_required',
    message:
      "this account's password must be reset: `scribe-proxy forgot-password`, then `scribe-proxy confirm-password`",
  },
  unconfirmed: {
    status: 403,
    code: 'user_not_confirmed',
    message: 'this account is not confirmed yet: ask its Scribe administrator',
  },
  'identity-refused': {
    status: 403,
    code: 'identity_refused',
    message: "the login worked but Scribe's identity pool refused credentials for this account",
  },
  'mfa-unsupported': {
    status: 403,
    code: 'mfa_unsupported',
    message:
      'Cognito asks this account for an SMS or e-mailed code at each login, which the proxy cannot answer: switch the account to authenticator-app (TOTP) MFA',
  },
  'login-refused': {
    status: 403,
    code: 'login_refused',
    message:
      "Cognito refused this login for a reason of the account's, not the password (the gateway's log names it): ask the account's Scribe administrator",
  },
  throttled: {
    status: 429,
    code: 'login_throttled',
    message: 'Cognito is limiting logins for this account',
  },
  busy: {
    status: 429,
    code: 'login_busy',
    message: 'too many logins are in flight at this gateway',
  },
  unavailable: {
    status: 503,
    code: 'no_session',
    message: 'Cognito could not be reached to log this account in',
  },
};

function refused(err: ClientLoginError): ProxyError {
  const { status, code, message } = refusals[err.outcome];
  const remembered =
    !err.remembered || err.outcome === 'user-locked'
      ? ''
      : err.outcome === 'rejected'
        ? ' (answered without asking Cognito again: repeated failed logins lock the account)'
        : ' (as a moment ago: Cognito was not asked again)';
  const headers: Record<string, string> = { 'retry-after': String(err.retryAfterS) };
  if (status === 401) Object.assign(headers, challengeBasic);
  return new ProxyError(
    status,
    code,
    `${message}${remembered}; retry in ${err.retryAfterS} s`,
    headers,
  );
}

/** The client's Basic login; bytes that are not UTF-8 are a 400, never a login attempt. */
function clientLogin(header: string | undefined) {
  try {
    return basicCredentials(header);
  } catch (err) {
    if (!(err instanceof CredentialsNotUtf8Error)) throw err;
    throw new ProxyError(400, 'bad_credentials', 'the Basic credentials must be UTF-8 (RFC 7617)');
  }
}

/**
 * Flow step 3, the session: the shared one; or in per-client mode the client's own Scribe login
 * (`Authorization: Basic`), logged in once and kept in the session cache. No login: 401 with a
 * Basic challenge (so a browser or a tool asks for one).
 */
export function pickSession(choice: SessionChoice): Pass {
  if (choice.kind === 'shared') {
    const { session } = choice;
    return (ctx) => {
      ctx.session = session;
    };
  }
  const { cache } = choice;
  return async (ctx) => {
    const login = clientLogin(ctx.req.headers.authorization);
    if (!login) {
      throw new ProxyError(
        401,
        'login_required',
        'send your Scribe username and password with HTTP Basic authentication (a base URL of http://USER:PASSWORD@host:port does it)',
        challengeBasic,
      );
    }
    ctx.user = login.username;
    try {
      ctx.session = await cache.session(login.username, login.password, ctx.signal);
    } catch (err) {
      throw err instanceof ClientLoginError ? refused(err) : err;
    }
  };
}
