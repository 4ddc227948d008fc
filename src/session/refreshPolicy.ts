import {
  LimitExceededError,
  PasswordResetRequiredError,
  UnauthorizedError,
  UserNotConfirmedError,
  UserNotFoundError,
} from '../auth/index.js';
import { accountRefusal } from './accountRefusal.js';
import { ChallengePending, NothingToLogInWith } from './errors.js';
import { nextBackoffMs } from './timing.js';
import type { SessionState } from './types.js';

/** Which Cognito step of a refresh failed. */
export type RefreshPhase = 'refresh-token' | 'password' | 'credentials';

/**
 * What a failure means (DESIGN.md, "What a failure may destroy"):
 * - `refresh-token-rejected`: Cognito definitively refused the refresh token; drop it.
 * - `login-rejected`: the password (or the lack of any login) was refused; an operator acts,
 *   nothing retries by itself (each retry would burn one of the user's few attempts).
 * - `challenge`: Cognito wants an MFA code or a new password.
 * - `mfa-unsupported`, `login-refused`: the account's refusal of a login, not an outage
 *   (accountRefusal.ts); an operator acts, nothing retries by itself.
 * - `retry`: anything else (network, 5xx, throttling, a malformed reply, a WAF refusal): keep
 *   everything, back off, try again.
 */
export type FailureKind =
  | 'refresh-token-rejected'
  | 'login-rejected'
  | 'challenge'
  | 'mfa-unsupported'
  | 'login-refused'
  | 'retry';

export function classifyFailure(err: unknown, phase: RefreshPhase): FailureKind {
  if (err instanceof ChallengePending) return 'challenge';
  if (err instanceof NothingToLogInWith) return 'login-rejected';
  const notAuthorized =
    err instanceof UnauthorizedError && err.cognitoName === 'NotAuthorizedException';
  if (phase === 'refresh-token') return notAuthorized ? 'refresh-token-rejected' : 'retry';
  if (phase === 'password') {
    const refused =
      notAuthorized ||
      err instanceof LimitExceededError ||
      err instanceof PasswordResetRequiredError ||
      err instanceof UserNotConfirmedError ||
      err instanceof UserNotFoundError;
    return refused ? 'login-rejected' : (accountRefusal(err) ?? 'retry');
  }
  return 'retry';
}

/** The state a pending challenge puts the session in. */
export function challengeState(
  challenge: 'SOFTWARE_TOKEN_MFA' | 'NEW_PASSWORD_REQUIRED' | undefined,
): SessionState {
  return challenge === 'SOFTWARE_TOKEN_MFA' ? 'mfa-required' : 'new-password-required';
}

/** The session after a failed refresh: its state, and when to try again (if ever). */
export interface FailureVerdict {
  state: SessionState;
  /** Wait this long before the next attempt; undefined: only an operator moves it on. */
  backoffMs: number | undefined;
}

/**
 * Judge a failure. `holdsValid`: something still valid to sign with. `failures`: failed
 * attempts in a row, this one included.
 */
export function judgeFailure(
  kind: FailureKind,
  input: {
    holdsValid: boolean;
    failures: number;
    backoff: { baseMs: number; maxMs: number };
    challenge?: 'SOFTWARE_TOKEN_MFA' | 'NEW_PASSWORD_REQUIRED';
    random?: () => number;
  },
): FailureVerdict {
  switch (kind) {
    case 'challenge':
      return {
        state: challengeState(input.challenge),
        backoffMs: undefined,
      };
    case 'refresh-token-rejected':
    case 'login-rejected':
      return { state: 'needs-login', backoffMs: undefined };
    case 'mfa-unsupported':
    case 'login-refused':
      return { state: kind, backoffMs: undefined };
    case 'retry':
      return {
        state: input.holdsValid ? 'degraded' : 'unavailable',
        backoffMs: nextBackoffMs(input.backoff, input.failures, input.random),
      };
  }
}

/**
 * The youngest a token or credential set may be for an upstream refusal to force its refresh.
 * What Cognito issued seconds ago cannot have expired; refreshing it on every refusal let a storm
 * of refusals (a backend answering 401 itself) cost Cognito one refresh each.
 */
export const forcedRefreshMinAgeMs = 30_000;

/**
 * True when an upstream refusal of something issued at `issuedAt` may force a refresh now. Issued
 * "in the future" means our clock stepped back since: its age is unknown (it may be hours old and
 * expired for real), so the refusal is believed; what replaces it is dated on the clock as it is.
 */
export function mayForceRefresh(issuedAt: number, now: number): boolean {
  const ageMs = now - issuedAt;
  return ageMs < 0 || ageMs >= forcedRefreshMinAgeMs;
}
