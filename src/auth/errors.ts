/**
 * Typed errors for every way a Cognito call can fail. Each keeps the Cognito error as `cause`,
 * names it in `cognitoName`, and says in its message what the caller can do next.
 */

/** Base class of every error ScribeAuth throws. */
export class ScribeAuthError extends Error {
  /** The HTTP status an API facing a user should answer with. */
  readonly httpStatus: number;
  /** The name of Cognito's exception, when Cognito gave one. */
  readonly cognitoName: string | undefined;

  constructor(
    message: string,
    options: { cause?: unknown; httpStatus?: number; cognitoName?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.httpStatus = options.httpStatus ?? 500;
    this.cognitoName = options.cognitoName;
  }
}

/** Wrong username or password, a revoked or expired token, or an operation not allowed. */
export class UnauthorizedError extends ScribeAuthError {}
/** Cognito throttled the call; retry later. */
export class TooManyRequestsError extends ScribeAuthError {}
/** A per-user limit was hit (password attempts, code requests); retrying burns attempts. */
export class LimitExceededError extends ScribeAuthError {}
/** The user must reset their password before logging in. */
export class PasswordResetRequiredError extends ScribeAuthError {}
/** The user has not confirmed their account. */
export class UserNotConfirmedError extends ScribeAuthError {}
/** The user does not exist (only visible when the pool reveals it). */
export class UserNotFoundError extends ScribeAuthError {}
/** The new password does not meet the pool's policy. */
export class InvalidPasswordError extends ScribeAuthError {}
/** A confirmation or MFA code was wrong. */
export class CodeMismatchError extends ScribeAuthError {}
/** A confirmation code or challenge session expired. */
export class ExpiredCodeError extends ScribeAuthError {}
/** Cognito Identity did not return an identity id. */
export class MissingIdError extends ScribeAuthError {}
/** A pool, client or identity pool does not exist. */
export class ResourceNotFoundError extends ScribeAuthError {}
/** A parameter was missing or malformed (ours or Cognito's view of it). */
export class InvalidParameterError extends ScribeAuthError {}
/** Cognito could not deliver a code (email or SMS). */
export class CodeDeliveryError extends ScribeAuthError {}
/** Cognito or the network failed; safe to retry later. */
export class ServiceUnavailableError extends ScribeAuthError {}
/** Cognito answered with something ScribeAuth could not use. */
export class UnexpectedResponseError extends ScribeAuthError {}
/**
 * Cognito asked for a challenge ScribeAuth does not answer (SMS or e-mailed codes): the
 * account's set-up, not an outage; trying again does not help (and may text the user a code).
 */
export class UnsupportedChallengeError extends UnexpectedResponseError {}

type ErrorClass = new (
  message: string,
  options: { cause?: unknown; httpStatus?: number; cognitoName?: string },
) => ScribeAuthError;

interface Mapping {
  type: ErrorClass;
  httpStatus: number;
  advice: string;
}

const byCognitoName: Record<string, Mapping> = {
  NotAuthorizedException: {
    type: UnauthorizedError,
    httpStatus: 401,
    advice: 'check the username and password, or log in again to get a new refresh token',
  },
  UnauthorizedException: {
    type: UnauthorizedError,
    httpStatus: 401,
    advice: 'the token was not accepted; log in again',
  },
  UnsupportedTokenTypeException: {
    type: UnauthorizedError,
    httpStatus: 401,
    advice: 'only refresh tokens can be revoked',
  },
  UnsupportedOperationException: {
    type: UnauthorizedError,
    httpStatus: 401,
    advice: 'token revocation is not enabled on this app client',
  },
  ForbiddenException: {
    type: UnauthorizedError,
    httpStatus: 401,
    advice: 'Cognito refused the request (firewall or disabled client)',
  },
  TooManyRequestsException: {
    type: TooManyRequestsError,
    httpStatus: 429,
    advice: 'Cognito is throttling this account; wait a few seconds and retry',
  },
  LimitExceededException: {
    type: LimitExceededError,
    httpStatus: 429,
    advice: 'a Cognito limit for this user was reached; wait (often an hour) before trying again',
  },
  TooManyFailedAttemptsException: {
    type: LimitExceededError,
    httpStatus: 429,
    advice: 'too many failed attempts for this user; wait before trying again',
  },
  PasswordResetRequiredException: {
    type: PasswordResetRequiredError,
    httpStatus: 403,
    advice: 'reset the password: request a code, then confirm it with a new password',
  },
  UserNotConfirmedException: {
    type: UserNotConfirmedError,
    httpStatus: 403,
    advice: 'the account is not confirmed yet; confirm it or ask Scribe support',
  },
  UserNotFoundException: {
    type: UserNotFoundError,
    httpStatus: 401,
    advice: 'check the username',
  },
  InvalidPasswordException: {
    type: InvalidPasswordError,
    httpStatus: 400,
    advice: 'choose a password that meets the pool policy (length, cases, digits, symbols)',
  },
  PasswordHistoryPolicyViolationException: {
    type: InvalidPasswordError,
    httpStatus: 400,
    advice: 'choose a password not used recently',
  },
  CodeMismatchException: {
    type: CodeMismatchError,
    httpStatus: 400,
    advice: 'check the code and try again',
  },
  EnableSoftwareTokenMFAException: {
    type: CodeMismatchError,
    httpStatus: 400,
    advice: 'the authenticator code did not verify; check the device clock and try again',
  },
  ExpiredCodeException: {
    type: ExpiredCodeError,
    httpStatus: 400,
    advice: 'the code or challenge expired; request a new one',
  },
  ResourceNotFoundException: {
    type: ResourceNotFoundError,
    httpStatus: 404,
    advice: 'check the client id, user pool id, identity pool id and region',
  },
  InvalidParameterException: {
    type: InvalidParameterError,
    httpStatus: 400,
    advice: 'check the parameters sent',
  },
  CodeDeliveryFailureException: {
    type: CodeDeliveryError,
    httpStatus: 502,
    advice: 'Cognito could not deliver the code; check the user email or phone',
  },
  InternalErrorException: {
    type: ServiceUnavailableError,
    httpStatus: 502,
    advice: 'Cognito failed internally; retry later',
  },
  ExternalServiceException: {
    type: ServiceUnavailableError,
    httpStatus: 502,
    advice: 'a provider Cognito depends on failed; retry later',
  },
};

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
}

function describe(err: unknown): {
  name: string;
  message: string;
  status?: number;
  fault?: string;
} {
  if (err && typeof err === 'object') {
    const e = err as SdkLikeError;
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const message = typeof e.message === 'string' ? e.message : '';
    const status =
      typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    const fault = typeof e.$fault === 'string' ? e.$fault : undefined;
    return { name, message, status, fault };
  }
  return { name: 'Error', message: String(err) };
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** True for failures worth retrying with backoff: throttling, 5xx, network faults. */
export function isTransient(err: unknown): boolean {
  if (err instanceof TooManyRequestsError || err instanceof ServiceUnavailableError) return true;
  return false;
}

/** Map any error from a Cognito call to a ScribeAuthError that keeps it as cause. */
export function toScribeError(err: unknown, operation: string): ScribeAuthError {
  if (err instanceof ScribeAuthError) return err;
  const { name, message, status, fault } = describe(err);
  // A login has no new password to judge, so a password error there means a wrong password
  // (cognito-local says InvalidPasswordException where Cognito says NotAuthorizedException).
  const effectiveName =
    operation === 'InitiateAuth' && name === 'InvalidPasswordException'
      ? 'NotAuthorizedException'
      : name;
  const mapped = byCognitoName[effectiveName];
  // Cognito's own errors (`...Exception`) carry its message; anything else (an answer the SDK
  // could not parse) is named only: JSON.parse quotes a short body whole, and it may hold anything.
  const detail = message && name.endsWith('Exception') ? `${name}: ${message}` : name;
  if (mapped) {
    return new mapped.type(`${operation} failed (${detail}); ${mapped.advice}`, {
      cause: err,
      httpStatus: mapped.httpStatus,
      cognitoName: name,
    });
  }
  const code = err && typeof err === 'object' ? (err as SdkLikeError).code : undefined;
  if (
    (typeof code === 'string' && networkErrorCodes.has(code)) ||
    name === 'TimeoutError' ||
    (status !== undefined && status >= 500) ||
    fault === 'server'
  ) {
    // A network error's message names the address it tried: keep it in `cause` only.
    // A host that does not resolve is named: it is the configured endpoint, and the fix.
    const host =
      err && typeof err === 'object' ? (err as { hostname?: unknown }).hostname : undefined;
    const summary =
      typeof code === 'string'
        ? typeof host === 'string'
          ? `${code} for ${host}`
          : code
        : status !== undefined
          ? `HTTP ${status}`
          : // Our own deadline's message names COGNITO_TIMEOUT_MS's value.
            name === 'TimeoutError' && message.startsWith('Cognito gave no complete answer')
            ? `${name}: ${message}`
            : name;
    return new ServiceUnavailableError(
      `${operation} failed (${summary}); Cognito could not be reached or failed, retry later`,
      { cause: err, httpStatus: 502, cognitoName: mapped ? name : undefined },
    );
  }
  if (status !== undefined && status >= 200 && status < 300) {
    // A 2xx the SDK could not deserialize: Cognito (or something in between) sent junk.
    return new UnexpectedResponseError(
      `${operation} failed: Cognito's reply could not be read (${detail})`,
      { cause: err, httpStatus: 502 },
    );
  }
  return new ScribeAuthError(`${operation} failed (${detail})`, {
    cause: err,
    httpStatus: status !== undefined && status >= 400 && status < 500 ? 400 : 502,
    cognitoName: status !== undefined ? name : undefined,
  });
}
