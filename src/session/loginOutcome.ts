import {
  LimitExceededError,
  PasswordResetRequiredError,
  TooManyRequestsError,
  UnauthorizedError,
  UserNotConfirmedError,
  UserNotFoundError,
} from '../auth/index.js';
import { ChallengePending } from './errors.js';
import type { LoginOutcome } from './loginRefusals.js';
import type { Session } from './Session.js';

/** How a client's first login went, from the session it left behind. */
export function loginOutcome(session: Session): LoginOutcome {
  if (session.usable()) return 'ok';
  const cause = session.data.lastFailure;
  if (session.data.tokens) {
    // The password was accepted; the identity pool's step failed.
    return cause instanceof UnauthorizedError ? 'identity-refused' : 'unavailable';
  }
  if (cause instanceof ChallengePending) {
    return cause.challenge.challengeName === 'SOFTWARE_TOKEN_MFA'
      ? 'mfa-required'
      : 'new-password-required';
  }
  if (cause instanceof LimitExceededError || cause instanceof TooManyRequestsError) {
    return 'throttled';
  }
  if (cause instanceof PasswordResetRequiredError) return 'reset-required';
  if (cause instanceof UserNotConfirmedError) return 'unconfirmed';
  if (cause instanceof UnauthorizedError || cause instanceof UserNotFoundError) return 'rejected';
  // Refusals of the account's that are not outages (accountRefusal.ts).
  if (session.state === 'mfa-unsupported' || session.state === 'login-refused') {
    return session.state;
  }
  return 'unavailable';
}
