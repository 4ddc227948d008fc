import type { ScribeAuth } from '../auth/index.js';
import { boundedWait } from './boundedWait.js';
import { SessionUnavailableError, unavailableReasons } from './errors.js';
import { isValid, type Held } from './held.js';
import { Refresher } from './refresher.js';
import { signingHeld, type SessionData } from './sessionData.js';
import type { SessionCredentials, SessionOptions, SessionState, SessionStatus } from './types.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * One Cognito identity kept alive, as requests see it: what is held is handed out while it is
 * valid (also inside the refresh margin, also while a refresh fails), and a request waits, for a
 * bounded time, only when nothing valid is held. The refresher keeps it fresh; operator actions
 * (operatorActions.ts) change it.
 */
export class Session {
  readonly mode: 'sigv4' | 'bearer';
  readonly auth: ScribeAuth;
  /** The session's parts, for operator actions in this room. */
  readonly data: SessionData;
  readonly refresher: Refresher;
  readonly #maxWaitMs: number;

  constructor(options: SessionOptions) {
    this.mode = options.mode;
    this.auth = options.auth;
    this.#maxWaitMs = options.maxWaitMs ?? 15_000;
    this.data = {
      state: 'starting',
      username: options.username,
      password: options.password,
      configuredPassword: options.password,
      refreshToken: options.refreshToken,
      tokens: undefined,
      identityId: undefined,
      credentials: undefined,
      challenge: undefined,
      failures: 0,
      retryAt: 0,
      lastRefreshAt: undefined,
      lastError: undefined,
      lastFailure: undefined,
    };
    this.refresher = new Refresher(this.data, options);
  }

  get state(): SessionState {
    return this.data.state;
  }

  /** Log in from the configured source; never throws (the state says how it went). */
  start(): Promise<void> {
    return this.refresher.flight.join(() => this.refresher.refreshDue());
  }

  /** Stop refreshing for good (the background timer and any new attempt). */
  stop(): void {
    this.refresher.stop();
  }

  /**
   * Stop for good and drop every secret held (password, tokens, credentials): an evicted
   * per-client session. The refresh token is dropped here, not revoked.
   */
  discard(): void {
    this.stop();
    const { data } = this;
    data.password = undefined;
    data.configuredPassword = undefined;
    data.refreshToken = undefined;
    data.tokens = undefined;
    data.credentials = undefined;
    data.challenge = undefined;
    data.lastFailure = undefined;
    data.state = 'needs-login';
  }

  /**
   * What requests sign with right now, without waiting: the held credentials (sigv4) or access
   * token (bearer) while valid, else undefined (then call credentials() or accessToken(), which
   * wait). Starts a background refresh when one is due.
   */
  held(): SessionCredentials | string | undefined {
    const now = Date.now();
    const held = signingHeld(this.data, this.mode);
    if (!isValid(held, now)) return undefined;
    if (this.refresher.anythingDue(now)) this.refresher.kick();
    return this.mode === 'sigv4'
      ? this.data.credentials?.value
      : this.data.tokens?.value.accessToken;
  }

  /** Federated credentials to sign with. An aborted `signal` ends a wait with its reason. */
  credentials(signal?: AbortSignal): Promise<SessionCredentials> {
    if (this.mode !== 'sigv4') throw new Error('credentials() is for sigv4 mode');
    return this.#valid(() => this.data.credentials, signal);
  }

  /** The access token for bearer mode, like credentials(). */
  async accessToken(signal?: AbortSignal): Promise<string> {
    return (await this.#valid(() => this.data.tokens, signal)).accessToken;
  }

  /**
   * The upstream refused `stale`: stop using it, and get what replaced it. The refresh this
   * needs joins the one in flight and respects the backoff, so a storm of refusals costs Cognito
   * one refresh.
   */
  replaceCredentials(stale: SessionCredentials, signal?: AbortSignal): Promise<SessionCredentials> {
    if (this.data.credentials?.value === stale) this.data.credentials.stale = true;
    return this.credentials(signal);
  }

  /** Like replaceCredentials, for a refused bearer access token. */
  replaceAccessToken(stale: string, signal?: AbortSignal): Promise<string> {
    if (this.data.tokens?.value.accessToken === stale) this.data.tokens.stale = true;
    return this.accessToken(signal);
  }

  /** True while the session holds something valid to sign with. */
  usable(): boolean {
    return isValid(signingHeld(this.data, this.mode), Date.now());
  }

  /** State and expiry times, never a token or a secret. */
  status(): SessionStatus {
    const { data } = this;
    return {
      state: data.state,
      mode: this.mode,
      username: data.username,
      identityId: data.identityId,
      tokensExpireAt: iso(data.tokens?.expiresAt),
      credentialsExpireAt: iso(data.credentials?.expiresAt),
      lastRefreshAt: iso(data.lastRefreshAt),
      lastError: data.lastError,
      nextAttemptAt: data.retryAt > Date.now() ? iso(data.retryAt) : undefined,
      nextRefreshAt: iso(this.refresher.plannedAt),
      pendingChallenge: data.challenge?.challengeName,
      configuredPasswordStale:
        data.configuredPassword !== undefined && data.password !== data.configuredPassword,
    };
  }

  /** Seconds until what the proxy signs with expires (credentials, or tokens in bearer mode). */
  secondsUntilExpiry(): number | undefined {
    const held = signingHeld(this.data, this.mode);
    return held ? Math.max(0, (held.expiresAt - Date.now()) / 1000) : undefined;
  }

  async #valid<T>(pick: () => Held<T> | undefined, signal: AbortSignal | undefined): Promise<T> {
    const now = Date.now();
    const held = pick();
    if (isValid(held, now)) {
      if (this.refresher.anythingDue(now)) this.refresher.kick();
      return held.value;
    }
    const deadline = now + this.#maxWaitMs;
    // Twice at most: a refresh already under way may have started before `held` went stale.
    for (let round = 0; round < 2; round++) {
      this.refresher.kick();
      const flight = this.refresher.flight.current;
      if (!flight) break;
      await boundedWait(flight, deadline - Date.now(), signal);
      const after = pick();
      if (isValid(after, Date.now())) return after.value;
      if (Date.now() >= deadline) break;
    }
    throw this.#unavailable();
  }

  #unavailable(): SessionUnavailableError {
    const { state, retryAt } = this.data;
    const waitMs = retryAt - Date.now();
    const retryAfterS = waitMs > 0 ? Math.ceil(waitMs / 1000) : 30;
    const reason = unavailableReasons[state];
    return new SessionUnavailableError(state, `no Scribe session: ${reason}`, retryAfterS);
  }
}
