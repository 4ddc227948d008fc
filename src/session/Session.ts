import type { ScribeAuth } from '../auth/index.js';
import { boundedWait } from './boundedWait.js';
import { SessionUnavailableError, unavailableReasons } from './errors.js';
import { isValid, type Held } from './held.js';
import { mayForceRefresh } from './refreshPolicy.js';
import { Refresher } from './refresher.js';
import { RefreshScheduler } from './refreshScheduler.js';
import { signingHeld, type SessionChange, type SessionData } from './sessionData.js';
import { SingleFlight } from './singleFlight.js';
import {
  operatorStates,
  type SessionCredentials,
  type SessionOptions,
  type SessionState,
  type SessionStatus,
} from './types.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * One Cognito identity kept alive, as requests see it: what is held is handed out while it is
 * valid (also inside the refresh margin, also while a refresh fails), and a request waits, for a
 * bounded time, only when nothing valid is held.
 *
 * The session is the one owner of what it holds: the refresher (refresher.ts) and the operator
 * actions (operatorActions.ts) return what should change, and only the session applies it, one
 * job at a time (single flight). After discard() nothing is applied any more: a result that
 * arrives late is dropped, and no timer is left.
 */
export class Session {
  readonly mode: 'sigv4' | 'bearer';
  readonly auth: ScribeAuth;
  readonly refresher: Refresher;
  readonly #flight = new SingleFlight();
  readonly #scheduler = new RefreshScheduler(() => this.#kick(true));
  readonly #options: SessionOptions;
  readonly #maxWaitMs: number;
  #data: SessionData;
  #stopped = false;
  #discarded = false;

  constructor(options: SessionOptions) {
    this.mode = options.mode;
    this.auth = options.auth;
    this.#options = options;
    this.#maxWaitMs = options.maxWaitMs ?? 15_000;
    this.#data = {
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
    this.refresher = new Refresher(options);
  }

  /** What the session holds, to read (the session's parts in this room). */
  get data(): Readonly<SessionData> {
    return this.#data;
  }

  get state(): SessionState {
    return this.#data.state;
  }

  /** Log in from the configured source; never throws (the state says how it went). */
  start(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return this.#flight.join(() => this.#refresh());
  }

  /** Stop refreshing for good (the background timer and any new attempt). */
  stop(): void {
    this.#stopped = true;
    this.#scheduler.stop();
  }

  /**
   * Stop for good and drop every secret held (password, tokens, credentials): an evicted
   * per-client session. The refresh token is dropped here, not revoked. Final: whatever a
   * refresh or an operator action still in flight returns later is dropped.
   */
  discard(): void {
    this.stop();
    this.#discarded = true;
    this.#data = {
      ...this.#data,
      password: undefined,
      configuredPassword: undefined,
      refreshToken: undefined,
      tokens: undefined,
      credentials: undefined,
      challenge: undefined,
      lastFailure: undefined,
      retryAt: 0,
      state: 'needs-login',
    };
  }

  /**
   * Run an operator's job alone (no refresh interleaves) and apply the change it returns; its
   * error is the caller's, and changes nothing. The status after it.
   */
  act(job: (data: Readonly<SessionData>) => Promise<SessionChange>): Promise<SessionStatus> {
    return this.#flight.exclusive(async () => {
      try {
        await this.#apply(await job(this.#data));
      } catch (err) {
        // Nothing changes, but the plan is made again: a planned refresh that fell due while the
        // job ran found the flight busy, and would otherwise never run.
        this.#plan();
        throw err;
      }
      return this.status();
    });
  }

  /**
   * What requests sign with right now, without waiting: the held credentials (sigv4) or access
   * token (bearer) while valid, else undefined (then call credentials() or accessToken(), which
   * wait). Starts a background refresh when one is due.
   */
  held(): SessionCredentials | string | undefined {
    const now = Date.now();
    const held = signingHeld(this.#data, this.mode);
    if (!isValid(held, now)) return undefined;
    if (this.refresher.anythingDue(this.#data, now)) this.#kick();
    return this.mode === 'sigv4'
      ? this.#data.credentials?.value
      : this.#data.tokens?.value.accessToken;
  }

  /** Federated credentials to sign with. An aborted `signal` ends a wait with its reason. */
  credentials(signal?: AbortSignal): Promise<SessionCredentials> {
    if (this.mode !== 'sigv4') throw new Error('credentials() is for sigv4 mode');
    return this.#valid(() => this.#data.credentials, signal);
  }

  /** The access token for bearer mode, like credentials(). */
  async accessToken(signal?: AbortSignal): Promise<string> {
    return (await this.#valid(() => this.#data.tokens, signal)).accessToken;
  }

  /**
   * The upstream refused `stale`: stop using it, and get what replaced it. The refresh this
   * needs joins the one in flight and respects the backoff, and is never forced for something
   * issued only seconds ago (then `stale` itself comes back: nothing better is held), so a storm
   * of refusals costs Cognito one refresh at most.
   */
  replaceCredentials(stale: SessionCredentials, signal?: AbortSignal): Promise<SessionCredentials> {
    const held = this.#data.credentials;
    if (held?.value === stale && mayForceRefresh(held.issuedAt, Date.now())) {
      this.#data.credentials = { ...held, stale: true };
    }
    return this.credentials(signal);
  }

  /** Like replaceCredentials, for a refused bearer access token. */
  replaceAccessToken(stale: string, signal?: AbortSignal): Promise<string> {
    const held = this.#data.tokens;
    if (held?.value.accessToken === stale && mayForceRefresh(held.issuedAt, Date.now())) {
      this.#data.tokens = { ...held, stale: true };
    }
    return this.accessToken(signal);
  }

  /** True while the session holds something valid to sign with. */
  usable(): boolean {
    return isValid(signingHeld(this.#data, this.mode), Date.now());
  }

  /** State and expiry times, never a token or a secret. */
  status(): SessionStatus {
    const data = this.#data;
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
      nextRefreshAt: iso(this.#scheduler.plannedAt),
      pendingChallenge: data.challenge?.challengeName,
      configuredPasswordStale:
        data.configuredPassword !== undefined && data.password !== data.configuredPassword,
    };
  }

  /** Seconds until what the proxy signs with expires (credentials, or tokens in bearer mode). */
  secondsUntilExpiry(): number | undefined {
    const held = signingHeld(this.#data, this.mode);
    return held ? Math.max(0, (held.expiresAt - Date.now()) / 1000) : undefined;
  }

  /** Start a refresh unless one runs, the session backs off, or only an operator can act. */
  #kick(fromTimer = false): void {
    const { state, retryAt } = this.#data;
    if (this.#flight.current || this.#stopped || operatorStates.has(state)) return;
    if (!fromTimer && Date.now() < retryAt) return;
    void this.#flight.join(() => this.#refresh());
  }

  async #refresh(): Promise<void> {
    await this.#apply(await this.refresher.refreshDue(this.#data));
  }

  /**
   * Make `change` what the session holds, report a new refresh token (the session file follows
   * it) and plan the next refresh. Dropped once the session was discarded.
   */
  async #apply(change: SessionChange): Promise<void> {
    if (this.#discarded) return;
    const before = this.#data.refreshToken;
    this.#data = { ...this.#data, ...change };
    this.#plan();
    if ('refreshToken' in change && change.refreshToken !== before) {
      await this.#reportRefreshToken(change.refreshToken);
    }
  }

  /** Plan the next background refresh from what is held (the one timer, replaced). */
  #plan(): void {
    if (this.#discarded || this.#options.proactive === false) return;
    // After a failure the backoff keeps its own times; a plan from expiry has the floor.
    const next = this.refresher.nextRefreshAt(this.#data);
    if (this.#data.retryAt > 0) this.#scheduler.at(next);
    else this.#scheduler.due(next);
  }

  async #reportRefreshToken(token: string | undefined): Promise<void> {
    try {
      await this.#options.onRefreshToken?.(token);
    } catch (err) {
      this.#options.logger?.warn(
        { event: 'session-file-failed', err: (err as Error).message },
        'could not save the refresh token',
      );
    }
  }

  async #valid<T>(pick: () => Held<T> | undefined, signal: AbortSignal | undefined): Promise<T> {
    const now = Date.now();
    const held = pick();
    if (isValid(held, now)) {
      if (this.refresher.anythingDue(this.#data, now)) this.#kick();
      return held.value;
    }
    const deadline = now + this.#maxWaitMs;
    // Twice at most: a refresh already under way may have started before `held` went stale.
    for (let round = 0; round < 2; round++) {
      this.#kick();
      const flight = this.#flight.current;
      if (!flight) break;
      await boundedWait(flight, deadline - Date.now(), signal);
      const after = pick();
      if (isValid(after, Date.now())) return after.value;
      if (Date.now() >= deadline) break;
    }
    throw this.#unavailable();
  }

  #unavailable(): SessionUnavailableError {
    const { state, retryAt } = this.#data;
    const waitMs = retryAt - Date.now();
    const retryAfterS = waitMs > 0 ? Math.ceil(waitMs / 1000) : 30;
    const reason = unavailableReasons[state];
    return new SessionUnavailableError(state, `no Scribe session: ${reason}`, retryAfterS);
  }
}
