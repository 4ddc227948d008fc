import type { Challenge, Tokens } from '../auth/index.js';
import type { Held } from './held.js';
import type { SessionCredentials, SessionState } from './types.js';

/**
 * Everything one session holds. `Session` alone writes it: the refresher, the operator actions
 * and the per-client cache read it and return a SessionChange, which the session applies (or
 * drops, once discarded). Never exported beyond this room.
 */
export interface SessionData {
  state: SessionState;
  username: string | undefined;
  password: string | undefined;
  configuredPassword: string | undefined;
  refreshToken: string | undefined;
  tokens: Held<Tokens> | undefined;
  identityId: string | undefined;
  credentials: Held<SessionCredentials> | undefined;
  /** A challenge an operator may answer. */
  challenge: Challenge | undefined;
  /** Failed refreshes in a row. */
  failures: number;
  /** No refresh before this time (epoch ms) while backing off; 0 when not. */
  retryAt: number;
  lastRefreshAt: number | undefined;
  lastError: string | undefined;
  /** The error behind lastError (kept in memory only: the per-client cache maps it for clients). */
  lastFailure: unknown;
}

/** What a part of the session asks to change: only the fields named (undefined drops one). */
export type SessionChange = Partial<SessionData>;

/** What `change` makes of `data`, without touching either (to compute the next step on). */
export function changed(data: Readonly<SessionData>, change: SessionChange): SessionData {
  return { ...data, ...change };
}

/** What the proxy signs with: federated credentials (sigv4) or the tokens (bearer). */
export function signingHeld(
  data: Readonly<SessionData>,
  mode: 'sigv4' | 'bearer',
): Held<unknown> | undefined {
  return mode === 'sigv4' ? data.credentials : data.tokens;
}
