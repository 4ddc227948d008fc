import {
  isChallenge,
  ScribeAuthError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  type AuthResult,
  type Challenge,
  type CodeDelivery,
  type ScribeAuth,
  type Tokens,
} from '../auth/index.js';
import { generateSync } from 'otplib';
import { dueAt, nextBackoffMs } from './timing.js';

/** Where the session stands; `/readyz` and the admin status report it. */
export type SessionState =
  | 'starting'
  | 'ready'
  | 'new-password-required'
  | 'mfa-required'
  | 'needs-login'
  | 'degraded'
  | 'unavailable';

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
  logger?: SessionLogger;
  /** Refresh in the background when things come due (default); off, only on demand. */
  proactive?: boolean;
  /** Called after each refresh attempt, for metrics. */
  onRefresh?: (kind: 'tokens' | 'credentials', outcome: 'success' | 'failure') => void;
  /** Called when the refresh token changes (a login) or is dropped (undefined). */
  onRefreshToken?: (refreshToken: string | undefined) => void | Promise<void>;
}

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
}

interface Held<T> {
  value: T;
  issuedAt: number;
  expiresAt: number;
}

const defaultBackoff = { baseMs: 1000, maxMs: 60_000 };

/**
 * One Cognito identity kept alive: tokens, identity id and federated credentials, refreshed a
 * margin before expiry by one refresh at a time, with backoff when Cognito fails.
 */
export class Session {
  readonly mode: 'sigv4' | 'bearer';
  #state: SessionState = 'starting';
  #username: string | undefined;
  #password: string | undefined;
  #refreshToken: string | undefined;
  #tokens: Held<Tokens> | undefined;
  #identityId: string | undefined;
  #credentials: Held<SessionCredentials> | undefined;
  #challenge: Challenge | undefined;
  #inflight: Promise<void> | undefined;
  #failures = 0;
  #retryAt = 0;
  #lastRefreshAt: number | undefined;
  #lastError: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #opts: SessionOptions;
  readonly #marginMs: number;

  constructor(options: SessionOptions) {
    this.#opts = options;
    this.mode = options.mode;
    this.#username = options.username;
    this.#password = options.password;
    this.#refreshToken = options.refreshToken;
    this.#marginMs = options.refreshMarginS * 1000;
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The pending challenge an operator must answer, if any. */
  get challenge(): Challenge | undefined {
    return this.#challenge;
  }

  /** Log in from the configured source; never throws (the state says how it went). */
  async start(): Promise<void> {
    await this.#refresh(false);
  }

  /** Stop the background refresh timer. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** Federated credentials for signing, refreshed first when they are due. */
  async credentials(): Promise<SessionCredentials> {
    if (this.mode !== 'sigv4') throw new Error('credentials() is for sigv4 mode');
    if (this.#due(this.#credentials) && this.#mayRefresh()) await this.#refresh(false);
    const held = this.#credentials;
    if (held && held.expiresAt > Date.now()) return held.value;
    throw this.#unavailable();
  }

  /** The access token for bearer mode, refreshed first when it is due. */
  async accessToken(): Promise<string> {
    if (this.#due(this.#tokens) && this.#mayRefresh()) await this.#refresh(false);
    const held = this.#tokens;
    if (held && held.expiresAt > Date.now()) return held.value.accessToken;
    throw this.#unavailable();
  }

  /**
   * The upstream rejected `stale` (expired or invalid): refresh once, unless another request
   * already replaced it, and return what to retry with.
   */
  async replaceCredentials(stale: SessionCredentials): Promise<SessionCredentials> {
    // Twice at most: a refresh already in flight (that we joined) may not have been forced.
    for (let i = 0; i < 2 && this.#credentials?.value === stale; i++) await this.#refresh(true);
    return this.credentials();
  }

  /** Like replaceCredentials, for a rejected bearer access token. */
  async replaceAccessToken(stale: string): Promise<string> {
    for (let i = 0; i < 2 && this.#tokens?.value.accessToken === stale; i++) {
      await this.#refresh(true);
    }
    return this.accessToken();
  }

  /** State and expiry times, never a token or a secret. */
  status(): SessionStatus {
    const iso = (ms: number | undefined) =>
      ms === undefined ? undefined : new Date(ms).toISOString();
    return {
      state: this.#state,
      mode: this.mode,
      username: this.#username,
      identityId: this.#identityId,
      tokensExpireAt: iso(this.#tokens?.expiresAt),
      credentialsExpireAt: iso(this.#credentials?.expiresAt),
      lastRefreshAt: iso(this.#lastRefreshAt),
      lastError: this.#lastError,
      nextAttemptAt: this.#retryAt > Date.now() ? iso(this.#retryAt) : undefined,
    };
  }

  /** Seconds until what the proxy signs with expires (credentials, or tokens in bearer mode). */
  secondsUntilExpiry(): number | undefined {
    const held = this.mode === 'sigv4' ? this.#credentials : this.#tokens;
    return held ? Math.max(0, (held.expiresAt - Date.now()) / 1000) : undefined;
  }

  /**
   * Whether a request may start a refresh: not while backing off, and not once Cognito refused
   * the login or asked for a challenge (retrying would burn the user's attempts; an operator acts).
   */
  #mayRefresh(): boolean {
    if (Date.now() < this.#retryAt) return false;
    return !['needs-login', 'mfa-required', 'new-password-required'].includes(this.#state);
  }

  #due(held: Held<unknown> | undefined): boolean {
    return !held || Date.now() >= dueAt(held.issuedAt, held.expiresAt, this.#marginMs);
  }

  #unavailable(): SessionUnavailableError {
    const state = this.#state;
    const retryAfterS =
      this.#retryAt > Date.now() ? Math.ceil((this.#retryAt - Date.now()) / 1000) : 30;
    const advice: Record<SessionState, string> = {
      starting: 'the session is still logging in; retry shortly',
      ready: 'the credentials expired; retry shortly',
      degraded: 'Cognito is failing and the credentials expired; retry later',
      unavailable: 'Cognito cannot be reached; retry later',
      'needs-login': 'an operator must log in again (POST /admin/login)',
      'mfa-required': 'an operator must answer MFA (POST /admin/mfa)',
      'new-password-required': 'an operator must set a new password (POST /admin/password)',
    };
    return new SessionUnavailableError(state, `no Scribe session: ${advice[state]}`, retryAfterS);
  }

  /** One refresh at a time; callers during a refresh (or an operator action) share it. */
  #refresh(force: boolean): Promise<void> {
    return this.#inflight ?? this.#exclusive(() => this.#doRefresh(force));
  }

  /**
   * Run `operation` alone: after whatever is in flight, and with later refreshes waiting for it.
   * Operator actions and refreshes never interleave.
   */
  async #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    while (this.#inflight) await this.#inflight;
    const run = operation();
    const settled: Promise<void> = run.then(
      () => undefined,
      () => undefined,
    );
    this.#inflight = settled;
    void settled.finally(() => {
      if (this.#inflight === settled) this.#inflight = undefined;
    });
    return run;
  }

  async #doRefresh(force: boolean): Promise<void> {
    try {
      await this.#ensureTokens(force);
      if (this.mode === 'sigv4' && (force || this.#due(this.#credentials))) {
        await this.#refreshCredentials();
      }
      this.#markReady();
    } catch (err) {
      this.#onFailure(err);
    }
    this.#schedule();
  }

  #markReady(): void {
    this.#failures = 0;
    this.#retryAt = 0;
    this.#lastError = undefined;
    this.#lastRefreshAt = Date.now();
    this.#state = 'ready';
  }

  /**
   * Finish a login whose tokens were just accepted: fetch credentials (sigv4) and become ready.
   * A challenge or failure sets the state; failures other than a pending challenge are rethrown
   * so an operator sees Cognito's reason.
   */
  async #completeLogin(login: () => Promise<void>): Promise<SessionStatus> {
    try {
      await login();
      if (this.mode === 'sigv4') await this.#refreshCredentials();
      this.#markReady();
    } catch (err) {
      this.#onFailure(err);
      if (!(err instanceof ChallengePending)) {
        this.#schedule();
        throw err;
      }
    }
    this.#schedule();
    return this.status();
  }

  async #passwordLogin(): Promise<SessionStatus> {
    const username = this.#username;
    const password = this.#password;
    if (!username || !password) {
      throw new SessionConflictError(
        'no username and password: send them, or configure SCRIBE_USERNAME and SCRIBE_PASSWORD',
      );
    }
    this.#purge();
    this.#challenge = undefined;
    return this.#completeLogin(async () => {
      const result = await this.#opts.auth.getTokens({ username, password });
      await this.#accept(result);
    });
  }

  /** (Re)start the session with a password login; given values replace the configured ones. */
  login(
    credentials: { username?: string | undefined; password?: string | undefined } = {},
  ): Promise<SessionStatus> {
    return this.#exclusive(async () => {
      if (credentials.username) this.#username = credentials.username;
      if (credentials.password) this.#password = credentials.password;
      return this.#passwordLogin();
    });
  }

  /** Answer the pending MFA challenge with a TOTP code. */
  answerMfa(code: string): Promise<SessionStatus> {
    return this.#exclusive(async () => {
      const challenge = this.#challenge;
      if (challenge?.challengeName !== 'SOFTWARE_TOKEN_MFA') {
        throw new SessionConflictError(
          `no MFA challenge is pending (the session is ${this.#state})`,
        );
      }
      const tokens = await this.#opts.auth.respondToMfaChallenge(
        challenge.username,
        challenge.session,
        code,
      );
      return this.#completeLogin(() => this.#accept(tokens));
    });
  }

  /**
   * Set a new password: answers a pending NEW_PASSWORD_REQUIRED, or changes the logged-in user's
   * password (with `currentPassword`, else the configured one). The session goes on with it.
   */
  setPassword(newPassword: string, currentPassword?: string): Promise<SessionStatus> {
    return this.#exclusive(async () => {
      const challenge = this.#challenge;
      if (challenge?.challengeName === 'NEW_PASSWORD_REQUIRED') {
        const result = await this.#opts.auth.respondToNewPasswordChallenge(
          challenge.username,
          challenge.session,
          newPassword,
          {},
          challenge.requiredAttributes,
        );
        this.#password = newPassword;
        return this.#completeLogin(() => this.#accept(result));
      }
      const tokens = this.#tokens;
      if (!tokens || tokens.expiresAt <= Date.now()) {
        throw new SessionConflictError(`log in first (the session is ${this.#state})`);
      }
      const current = currentPassword ?? this.#password;
      if (!current) throw new SessionConflictError('send the current password as "password"');
      await this.#opts.auth.changePasswordWithToken(tokens.value.accessToken, current, newPassword);
      this.#password = newPassword;
      return this.status();
    });
  }

  /** Send a password-reset code to the session's user (or `username`). */
  async requestPasswordReset(username?: string): Promise<CodeDelivery> {
    const user = username ?? this.#username;
    if (!user) throw new SessionConflictError('send the username: none is configured');
    return this.#opts.auth.requestPasswordReset(user);
  }

  /** Confirm a reset with its code; for the session's own user, the session logs in with it. */
  async confirmPasswordReset(
    code: string,
    newPassword: string,
    username?: string,
  ): Promise<SessionStatus> {
    const user = username ?? this.#username;
    if (!user) throw new SessionConflictError('send the username: none is configured');
    await this.#opts.auth.forgotPassword(user, newPassword, code);
    if (user !== this.#username) return this.status();
    return this.#exclusive(async () => {
      this.#password = newPassword;
      if (this.#state === 'ready' || this.#state === 'degraded') return this.status();
      return this.#passwordLogin();
    });
  }

  /**
   * Revoke the refresh token at Cognito and forget everything the session holds (federated
   * credentials stay valid at AWS until they expire, so they must not be used again). Then log in
   * again with the password, if there is one; else wait for an operator.
   */
  revoke(): Promise<SessionStatus> {
    return this.#exclusive(async () => {
      const token = this.#refreshToken;
      try {
        if (token) await this.#opts.auth.revokeRefreshToken(token);
      } finally {
        this.#purge();
        this.#challenge = undefined;
        await this.#setRefreshToken(undefined);
      }
      if (this.#username && this.#password) return this.#passwordLogin();
      this.#state = 'needs-login';
      this.#lastError = 'the refresh token was revoked; log in again';
      this.#schedule();
      return this.status();
    });
  }

  async #ensureTokens(force: boolean): Promise<void> {
    if (!force && !this.#due(this.#tokens)) return;
    if (this.#refreshToken) {
      try {
        const result = await this.#opts.auth.getTokens({
          refreshToken: this.#refreshToken,
          username: this.#username,
        });
        this.#opts.onRefresh?.('tokens', 'success');
        return this.#accept(result);
      } catch (err) {
        this.#opts.onRefresh?.('tokens', 'failure');
        if (!(err instanceof UnauthorizedError)) throw err;
        // Revoked or expired: it will never work again, so forget it (and the session file).
        await this.#setRefreshToken(undefined);
        if (!this.#password) throw err;
        this.#opts.logger?.warn(
          { event: 'refresh-token-rejected' },
          'refresh token rejected; logging in with the password',
        );
      }
    }
    if (this.#username && this.#password) {
      let result: AuthResult;
      try {
        result = await this.#opts.auth.getTokens({
          username: this.#username,
          password: this.#password,
        });
        this.#opts.onRefresh?.('tokens', 'success');
      } catch (err) {
        this.#opts.onRefresh?.('tokens', 'failure');
        throw err;
      }
      return this.#accept(result);
    }
    throw new NeedsLogin('no refresh token or password to log in with');
  }

  async #accept(result: AuthResult): Promise<void> {
    if (isChallenge(result)) {
      if (result.challengeName === 'SOFTWARE_TOKEN_MFA' && this.#opts.mfaSecret) {
        const code = generateSync({ secret: this.#opts.mfaSecret });
        const tokens = await this.#opts.auth.respondToMfaChallenge(
          result.username,
          result.session,
          code,
        );
        return this.#accept(tokens);
      }
      this.#challenge = result;
      throw new ChallengePending(result);
    }
    this.#challenge = undefined;
    this.#tokens = { value: result, issuedAt: Date.now(), expiresAt: result.expiresAt.getTime() };
    if (result.refreshToken !== this.#refreshToken)
      await this.#setRefreshToken(result.refreshToken);
  }

  async #refreshCredentials(): Promise<void> {
    const tokens = this.#tokens?.value;
    if (!tokens) throw new NeedsLogin('no tokens');
    try {
      this.#identityId ??= await this.#opts.auth.getFederatedId(tokens.idToken);
      const c = await this.#opts.auth.getFederatedCredentials(this.#identityId, tokens.idToken);
      this.#credentials = {
        value: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretKey,
          sessionToken: c.sessionToken,
        },
        issuedAt: Date.now(),
        expiresAt: c.expiration.getTime(),
      };
      this.#opts.onRefresh?.('credentials', 'success');
    } catch (err) {
      this.#opts.onRefresh?.('credentials', 'failure');
      throw err;
    }
  }

  async #setRefreshToken(token: string | undefined): Promise<void> {
    this.#refreshToken = token;
    try {
      await this.#opts.onRefreshToken?.(token);
    } catch (err) {
      this.#opts.logger?.warn(
        { event: 'session-file-failed', err: (err as Error).message },
        'could not save the refresh token',
      );
    }
  }

  #onFailure(err: unknown): void {
    if (err instanceof ChallengePending) {
      this.#state =
        err.challenge.challengeName === 'SOFTWARE_TOKEN_MFA'
          ? 'mfa-required'
          : 'new-password-required';
      this.#lastError = err.message;
      this.#purge();
      this.#opts.logger?.warn({ event: 'session-challenge', state: this.#state }, err.message);
      return;
    }
    const transient = err instanceof ServiceUnavailableError || err instanceof TooManyRequestsError;
    const message = err instanceof Error ? err.message : String(err);
    this.#lastError = message;
    if (transient) {
      this.#failures++;
      this.#retryAt =
        Date.now() + nextBackoffMs(this.#opts.backoff ?? defaultBackoff, this.#failures);
      const stillValid = (this.mode === 'sigv4' ? this.#credentials : this.#tokens)?.expiresAt ?? 0;
      this.#state = stillValid > Date.now() ? 'degraded' : 'unavailable';
      this.#opts.logger?.warn(
        { event: 'refresh-failed', state: this.#state, failures: this.#failures },
        message,
      );
      return;
    }
    // Refused by Cognito (bad or revoked credentials, limits, reset required): an operator must
    // act. LimitExceeded and friends are never retried automatically.
    this.#state = 'needs-login';
    this.#purge();
    if (err instanceof ScribeAuthError || err instanceof NeedsLogin) {
      this.#opts.logger?.warn({ event: 'session-needs-login' }, message);
    } else {
      this.#opts.logger?.warn({ event: 'session-error' }, message);
    }
  }

  /** Forget every token, the identity id and the credentials. */
  #purge(): void {
    this.#tokens = undefined;
    this.#identityId = undefined;
    this.#credentials = undefined;
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#stopped || this.#opts.proactive === false) return;
    let at: number | undefined;
    if (this.#state === 'degraded' || this.#state === 'unavailable') at = this.#retryAt;
    else if (this.#state === 'ready') {
      const times = [this.#tokens, this.mode === 'sigv4' ? this.#credentials : undefined]
        .filter((h): h is Held<never> => h !== undefined)
        .map((h) => dueAt(h.issuedAt, h.expiresAt, this.#marginMs));
      at = Math.min(...times);
    }
    if (at === undefined) return;
    this.#timer = setTimeout(() => void this.#refresh(false), Math.max(0, at - Date.now()));
    this.#timer.unref();
  }
}

class ChallengePending extends Error {
  constructor(readonly challenge: Challenge) {
    super(
      challenge.challengeName === 'SOFTWARE_TOKEN_MFA'
        ? 'MFA code required: POST /admin/mfa, or set SCRIBE_MFA_SECRET'
        : 'temporary password must be changed: POST /admin/password',
    );
  }
}

class NeedsLogin extends Error {}

/** An operator action that does not fit the session's state (the admin API answers 409). */
export class SessionConflictError extends Error {
  override name = 'SessionConflictError';
}
