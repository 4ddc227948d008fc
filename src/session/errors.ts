import type { Challenge } from '../auth/index.js';
import type { SessionState } from './types.js';

/** No usable credentials: the proxy answers 503 with Retry-After. */
export class SessionUnavailableError extends Error {
  constructor(
    readonly state: SessionState,
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
    this.name = 'SessionUnavailableError';
  }
}

/** An operator action that does not fit the session's state (the admin API answers 409). */
export class SessionConflictError extends Error {
  override name = 'SessionConflictError';
}

/** Cognito asked for a challenge that nobody configured an answer to. */
export class ChallengePending extends Error {
  constructor(readonly challenge: Challenge) {
    super(
      challenge.challengeName === 'SOFTWARE_TOKEN_MFA'
        ? 'an MFA code is required (or set SCRIBE_MFA_SECRET to answer it unattended)'
        : 'the temporary password must be changed',
    );
    this.name = 'ChallengePending';
  }
}

/** Nothing to log in with: no refresh token and no password. */
export class NothingToLogInWith extends Error {
  constructor() {
    super('no refresh token or password to log in with');
    this.name = 'NothingToLogInWith';
  }
}

/** What the session says when it cannot serve; the layer showing it adds how to act. */
export const unavailableReasons: Record<SessionState, string> = {
  starting: 'the session is still logging in; retry shortly',
  ready: 'the credentials expired; retry shortly',
  degraded: 'Cognito is failing and the credentials expired; retry later',
  unavailable: 'Cognito cannot be reached; retry later',
  'needs-login': 'an operator must log in again',
  'mfa-required': 'an operator must answer MFA',
  'new-password-required': 'an operator must set a new password',
  'mfa-unsupported':
    'Cognito asks this account for an SMS or e-mailed code, which the proxy cannot answer; an operator must switch it to authenticator-app (TOTP) MFA',
  'login-refused': 'Cognito refused this login for a reason of the account; an operator must act',
};
