import type { AuthResult, Tokens } from '../auth/index.js';
import { fetchCredentials, holdTokens, tokensFrom } from './cognitoSteps.js';
import { ChallengePending, NothingToLogInWith } from './errors.js';
import { isDue, isValid, type Held } from './held.js';
import {
  classifyFailure,
  judgeFailure,
  type FailureKind,
  type RefreshPhase,
} from './refreshPolicy.js';
import { changed, signingHeld, type SessionChange, type SessionData } from './sessionData.js';
import { dueAt } from './timing.js';
import { operatorStates, type SessionOptions } from './types.js';

const defaultBackoff = { baseMs: 1000, maxMs: 60_000 };
const failureEvents: Record<FailureKind, string> = {
  retry: 'refresh-failed',
  challenge: 'session-challenge',
  'login-rejected': 'session-needs-login',
  'refresh-token-rejected': 'session-needs-login',
  'mfa-unsupported': 'session-login-refused',
  'login-refused': 'session-login-refused',
};

/**
 * Computes what keeps a session fresh against Cognito: a refresh, judged by the refresh policy
 * when it fails; a login made the session; everything forgotten; when to refresh next. It reads
 * what the session holds and returns what should change; `Session` applies it (one owner).
 */
export class Refresher {
  readonly #marginMs: number;

  constructor(private readonly opts: SessionOptions) {
    this.#marginMs = opts.refreshMarginS * 1000;
  }

  /** True when tokens or credentials are inside their refresh margin (or refused, or missing). */
  anythingDue(data: Readonly<SessionData>, now: number): boolean {
    return (
      isDue(data.tokens, now, this.#marginMs) ||
      (this.opts.mode === 'sigv4' && isDue(data.credentials, now, this.#marginMs))
    );
  }

  /** Refresh whatever is due (logging in when nothing is held). Never throws. */
  async refreshDue(data: Readonly<SessionData>): Promise<SessionChange> {
    const change: SessionChange = {};
    let phase: RefreshPhase = 'refresh-token';
    try {
      if (isDue(data.tokens, Date.now(), this.#marginMs)) {
        await this.#renewTokens(data, change, (next) => (phase = next));
      }
      const now = changed(data, change);
      if (this.opts.mode === 'sigv4' && isDue(now.credentials, Date.now(), this.#marginMs)) {
        phase = 'credentials';
        const tokens = now.tokens?.value;
        if (!tokens) throw new NothingToLogInWith();
        const federated = await this.#reported('credentials', () =>
          fetchCredentials(this.opts.auth, now.identityId, tokens.idToken),
        );
        change.identityId = federated.identityId;
        change.credentials = federated.credentials;
      }
      Object.assign(change, ready());
    } catch (err) {
      Object.assign(change, this.#failure(err, phase, changed(data, change)));
    }
    return change;
  }

  /** Tokens from a login result, answering MFA unattended when a TOTP secret is configured. */
  settle(result: AuthResult): Promise<Tokens> {
    return tokensFrom(this.opts.auth, result, this.opts.mfaSecret);
  }

  /**
   * A successful login made the session: its credentials are fetched first (sigv4), so a
   * failure throws and leaves the current session as it was.
   */
  async adopt(
    data: Readonly<SessionData>,
    tokens: Tokens,
    login: { username?: string; password?: string },
  ): Promise<SessionChange> {
    const sameUser = login.username === undefined || login.username === data.username;
    const known = sameUser ? data.identityId : undefined;
    const federated =
      this.opts.mode === 'sigv4'
        ? await fetchCredentials(this.opts.auth, known, tokens.idToken)
        : undefined;
    return {
      ...(login.username ? { username: login.username } : {}),
      ...(login.password ? { password: login.password } : {}),
      tokens: holdTokens(tokens),
      identityId: federated?.identityId ?? known,
      credentials: federated?.credentials ?? (sameUser ? data.credentials : undefined),
      challenge: undefined,
      refreshToken: tokens.refreshToken,
      ...ready(),
    };
  }

  /** Everything held forgotten (tokens, identity id, credentials, refresh token): needs-login. */
  forget(reason: string): SessionChange {
    return {
      tokens: undefined,
      identityId: undefined,
      credentials: undefined,
      challenge: undefined,
      refreshToken: undefined,
      state: 'needs-login',
      retryAt: 0,
      lastError: reason,
    };
  }

  /** A warning about the session, in its log. */
  log(event: string, message: string): void {
    this.opts.logger?.warn({ event }, message);
  }

  /** When the next background refresh falls due: after the backoff, or a margin before expiry. */
  nextRefreshAt(data: Readonly<SessionData>): number | undefined {
    if (data.retryAt > 0) return data.retryAt;
    if (operatorStates.has(data.state)) return undefined;
    const held = [data.tokens, this.opts.mode === 'sigv4' ? data.credentials : undefined];
    const times = held
      .filter((h): h is Held<never> => h !== undefined)
      .map((h) => dueAt(h.issuedAt, h.expiresAt, this.#marginMs));
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** New tokens: from the refresh token; if Cognito refused it for good, from the password. */
  async #renewTokens(
    data: Readonly<SessionData>,
    change: SessionChange,
    setPhase: (phase: RefreshPhase) => void,
  ): Promise<void> {
    const refreshToken = data.refreshToken;
    if (refreshToken) {
      try {
        const result = await this.#reported('tokens', () =>
          this.opts.auth.getTokens({ refreshToken, username: data.username }),
        );
        Object.assign(change, tokensChange(await this.settle(result)));
        return;
      } catch (err) {
        if (classifyFailure(err, 'refresh-token') !== 'refresh-token-rejected') throw err;
        change.refreshToken = undefined;
        if (!data.password) throw err;
        this.opts.logger?.warn(
          { event: 'refresh-token-rejected' },
          'refresh token rejected; logging in with the password',
        );
      }
    }
    const { username, password } = data;
    if (!username || !password) throw new NothingToLogInWith();
    setPhase('password');
    const result = await this.#reported('tokens', () =>
      this.opts.auth.getTokens({ username, password }),
    );
    Object.assign(change, tokensChange(await this.settle(result)));
  }

  async #reported<T>(kind: 'tokens' | 'credentials', call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.opts.onRefresh?.(kind, 'success');
      return result;
    } catch (err) {
      this.opts.onRefresh?.(kind, 'failure');
      throw err;
    }
  }

  #failure(err: unknown, phase: RefreshPhase, data: Readonly<SessionData>): SessionChange {
    const kind = classifyFailure(err, phase);
    const pending = err instanceof ChallengePending;
    const challenge = pending ? err.challenge : data.challenge;
    const failures = pending ? data.failures : data.failures + 1;
    const verdict = judgeFailure(kind, {
      holdsValid: isValid(signingHeld(data, this.opts.mode), Date.now()),
      failures,
      backoff: this.opts.backoff ?? defaultBackoff,
      challenge: challenge?.challengeName,
    });
    const lastError = err instanceof Error ? err.message : String(err);
    // A retryable failure while nothing was held, or with the password, was a login, not a refresh.
    const loggingIn = data.tokens === undefined || phase === 'password';
    const event = kind === 'retry' && loggingIn ? 'login-failed' : failureEvents[kind];
    this.opts.logger?.warn({ event, state: verdict.state, failures }, lastError);
    return {
      challenge,
      failures,
      state: verdict.state,
      retryAt: verdict.backoffMs === undefined ? 0 : Date.now() + verdict.backoffMs,
      lastError,
      lastFailure: err,
    };
  }
}

/** New tokens held, and their refresh token kept. */
function tokensChange(tokens: Tokens): SessionChange {
  return { tokens: holdTokens(tokens), challenge: undefined, refreshToken: tokens.refreshToken };
}

/** A refresh or login that worked. */
function ready(): SessionChange {
  return {
    failures: 0,
    retryAt: 0,
    lastError: undefined,
    lastFailure: undefined,
    lastRefreshAt: Date.now(),
    state: 'ready',
  };
}
