import {
  InvalidParameterError,
  LimitExceededError,
  ScribeAuthError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnexpectedResponseError,
  UnsupportedChallengeError,
} from '../auth/index.js';

/**
 * A login Cognito refused for a reason of the account's, which trying again cannot cure:
 * `mfa-unsupported` (a challenge the proxy cannot answer: SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE
 * without an authenticator app; each try may text the user a code) or `login-refused` (a 4xx the
 * proxy does not know, such as InvalidParameterException). Undefined for everything else: only
 * transport faults, 5xx, throttling and a WAF's refusal are outages, retried with backoff.
 * Call it after the refusals the caller knows by name (a wrong password, a reset required).
 */
export function accountRefusal(err: unknown): 'mfa-unsupported' | 'login-refused' | undefined {
  if (err instanceof UnsupportedChallengeError) return 'mfa-unsupported';
  // Cognito's InvalidParameterException, or ScribeAuth's own check of the same (no HTTP status).
  if (err instanceof InvalidParameterError) return 'login-refused';
  if (!(err instanceof ScribeAuthError)) return undefined;
  const outage =
    err instanceof ServiceUnavailableError ||
    err instanceof TooManyRequestsError ||
    err instanceof LimitExceededError ||
    err instanceof UnexpectedResponseError ||
    // A firewall in front of Cognito (AWS WAF) answers 403 ForbiddenException: not the account's.
    err.cognitoName === 'ForbiddenException';
  if (outage) return undefined;
  const status = cognitoStatus(err.cause);
  return status !== undefined && status >= 400 && status < 500 ? 'login-refused' : undefined;
}

/** The HTTP status Cognito answered with, as the AWS SDK records it on its errors. */
function cognitoStatus(cause: unknown): number | undefined {
  if (!cause || typeof cause !== 'object') return undefined;
  const status = (cause as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}
