import type { ScribeAuth } from '../auth/index.js';

/** Every state a session can be in. */
export const sessionStates = [
  'starting',
  'ready',
  'degraded',
  'unavailable',
  'needs-login',
  'mfa-required',
  'new-password-required',
  'mfa-unsupported',
  'login-refused',
] as const;

/** Where the session stands; `/readyz` and the admin status report it. */
export type SessionState = (typeof sessionStates)[number];

/**
 * States in which only an operator can move the session on; nothing retries by itself.
 * `mfa-unsupported` and `login-refused` are the account's refusals, not outages: Cognito asks for
 * a challenge the proxy cannot answer (an SMS or e-mailed code), or answers a 4xx it does not know.
 */
export const operatorStates: ReadonlySet<SessionState> = new Set([
  'needs-login',
  'mfa-required',
  'new-password-required',
  'mfa-unsupported',
  'login-refused',
]);

/** AWS credentials in the signer's shape. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The minimal logger the session writes to (pino's shape). */
export interface SessionLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SessionOptions {
  auth: ScribeAuth;
  mode: 'sigv4' | 'bearer';
  username?: string | undefined;
  password?: string | undefined;
  refreshToken?: string | undefined;
  mfaSecret?: string | undefined;
  /** Refresh this long before expiry (at most half a lifetime). */
  refreshMarginS: number;
  /** Backoff between failed refreshes. */
  backoff?: { baseMs: number; maxMs: number };
  /** Longest a request waits for a refresh when nothing valid is held (default 15 s). */
  maxWaitMs?: number;
  logger?: SessionLogger;
  /** Refresh in the background when things come due (default); off, only on demand. */
  proactive?: boolean;
  /** Called after each refresh attempt, for metrics. */
  onRefresh?: (kind: 'tokens' | 'credentials', outcome: 'success' | 'failure') => void;
  /** Called when the refresh token changes (a login) or is dropped (undefined). */
  onRefreshToken?: (refreshToken: string | undefined) => void | Promise<void>;
}

/** What the session can say about itself: states and times, never a secret. */
export interface SessionStatus {
  state: SessionState;
  mode: 'sigv4' | 'bearer';
  username: string | undefined;
  identityId: string | undefined;
  tokensExpireAt: string | undefined;
  credentialsExpireAt: string | undefined;
  lastRefreshAt: string | undefined;
  lastError: string | undefined;
  nextAttemptAt: string | undefined;
  /** When the next background refresh is planned (a margin before expiry, or after a backoff). */
  nextRefreshAt: string | undefined;
  /** A challenge an operator may answer (also while the session still serves). */
  pendingChallenge: 'SOFTWARE_TOKEN_MFA' | 'NEW_PASSWORD_REQUIRED' | undefined;
  /** The password was changed here, so the configured SCRIBE_PASSWORD no longer works. */
  configuredPasswordStale: boolean;
}
