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
import { RefreshScheduler } from './refreshScheduler.js';
import { signingHeld, type SessionData } from './sessionData.js';
import { SingleFlight } from './singleFlight.js';
import { dueAt } from './timing.js';
import { operatorStates, type SessionOptions } from './types.js';

const defaultBackoff = { baseMs: 1000, maxMs: 60_000 };
const failureEvents: Record<FailureKind, string> = {
  retry: 'refresh-failed',
  challenge: 'session-challenge',
  'login-rejected': 'session-needs-login',
  'refresh-token-rejected': 'session-needs-login',
};

/**
 * Keeps a session's data fresh against Cognito: one refresh at a time (single flight), planned
 * a margin before expiry (scheduler), judged by the refresh policy when it fails.
 */
export class Refresher {
  readonly flight = new SingleFlight();
  readonly #scheduler = new RefreshScheduler(() => this.kick(true));
  readonly #marginMs: number;
  #stopped = false;

  constructor(
    private readonly data: SessionData,
    private readonly opts: SessionOptions,
  ) {
    this.#marginMs = opts.refreshMarginS * 1000;
  }

  /** When the next background refresh is planned (epoch ms), if one is. */
  get plannedAt(): number | undefined {
    return this.#scheduler.plannedAt;
  }

  /** Stop for good: no timer, no new attempt. */
  stop(): void {
    this.#stopped = true;
    this.#scheduler.stop();
  }

  /** True when tokens or credentials are inside their refresh margin (or refused, or missing). */
  anythingDue(now: number): boolean {
    return (
      isDue(this.data.tokens, now, this.#marginMs) ||
      (this.opts.mode === 'sigv4' && isDue(this.data.credentials, now, this.#marginMs))
    );
  }

  /** Start a refresh unless one runs, the session backs off, or only an operator can act. */
  kick(fromTimer = false): void {
    if (this.flight.current || this.#stopped || operatorStates.has(this.data.state)) return;
    if (!fromTimer && Date.now() < this.data.retryAt) return;
    void this.flight.join(() => this.refreshDue());
  }

  /** Refresh whatever is due (logging in when nothing is held). Never throws. */
  async refreshDue(): Promise<void> {
    const { data } = this;
    let phase: RefreshPhase = 'refresh-token';
    try {
      if (isDue(data.tokens, Date.now(), this.#marginMs)) {
        await this.#renewTokens((next) => (phase = next));
      }
      if (this.opts.mode === 'sigv4' && isDue(data.credentials, Date.now(), this.#marginMs)) {
        phase = 'credentials';
        const tokens = data.tokens?.value;
        if (!tokens) throw new NothingToLogInWith();
        const federated = await this.#reported('credentials', () =>
          fetchCredentials(this.opts.auth, data.identityId, tokens.idToken),
        );
        data.identityId = federated.identityId;
        data.credentials = federated.credentials;
      }
      this.#markReady();
    } catch (err) {
      this.#fail(err, phase);
    }
    this.plan();
  }

  /** Tokens from a login result, answering MFA unattended when a TOTP secret is configured. */
  settle(result: AuthResult): Promise<Tokens> {
    return tokensFrom(this.opts.auth, result, this.opts.mfaSecret);
  }

  /**
   * Make a successful login the session: fetch its credentials first (sigv4), and only then
   * replace what is held, so a failure leaves the current session as it was.
   */
  async adopt(tokens: Tokens, login: { username?: string; password?: string }): Promise<void> {
    const { data } = this;
    const sameUser = login.username === undefined || login.username === data.username;
    const known = sameUser ? data.identityId : undefined;
    const federated =
      this.opts.mode === 'sigv4'
        ? await fetchCredentials(this.opts.auth, known, tokens.idToken)
        : undefined;
    if (login.username) data.username = login.username;
    if (login.password) data.password = login.password;
    data.tokens = holdTokens(tokens);
    data.identityId = federated?.identityId ?? known;
    data.credentials = federated?.credentials ?? (sameUser ? data.credentials : undefined);
    data.challenge = undefined;
    await this.setRefreshToken(tokens.refreshToken);
    this.#markReady();
    this.plan();
  }

  /** Forget everything held (tokens, identity id, credentials, refresh token): needs-login. */
  async forget(reason: string): Promise<void> {
    const { data } = this;
    data.tokens = undefined;
    data.identityId = undefined;
    data.credentials = undefined;
    data.challenge = undefined;
    await this.setRefreshToken(undefined);
    data.state = 'needs-login';
    data.retryAt = 0;
    data.lastError = reason;
    this.plan();
  }

  /** A warning about the session, in its log. */
  log(event: string, message: string): void {
    this.opts.logger?.warn({ event }, message);
  }

  /** Keep and report the refresh token (the session file follows it). */
  async setRefreshToken(token: string | undefined): Promise<void> {
    if (token === this.data.refreshToken) return;
    this.data.refreshToken = token;
    try {
      await this.opts.onRefreshToken?.(token);
    } catch (err) {
      this.opts.logger?.warn(
        { event: 'session-file-failed', err: (err as Error).message },
        'could not save the refresh token',
      );
    }
  }

  /** Plan the next background refresh: after the backoff, or a margin before expiry. */
  plan(): void {
    const { data } = this;
    if (this.opts.proactive === false) return;
    if (data.retryAt > 0) return this.#scheduler.at(data.retryAt);
    if (operatorStates.has(data.state)) return this.#scheduler.at(undefined);
    const held = [data.tokens, this.opts.mode === 'sigv4' ? data.credentials : undefined];
    const times = held
      .filter((h): h is Held<never> => h !== undefined)
      .map((h) => dueAt(h.issuedAt, h.expiresAt, this.#marginMs));
    this.#scheduler.at(times.length > 0 ? Math.min(...times) : undefined);
  }

  /** New tokens: from the refresh token; if Cognito refused it for good, from the password. */
  async #renewTokens(setPhase: (phase: RefreshPhase) => void): Promise<void> {
    const { data } = this;
    const refreshToken = data.refreshToken;
    if (refreshToken) {
      try {
        const result = await this.#reported('tokens', () =>
          this.opts.auth.getTokens({ refreshToken, username: data.username }),
        );
        return await this.#installTokens(await this.settle(result));
      } catch (err) {
        if (classifyFailure(err, 'refresh-token') !== 'refresh-token-rejected') throw err;
        await this.setRefreshToken(undefined);
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
    await this.#installTokens(await this.settle(result));
  }

  async #installTokens(tokens: Tokens): Promise<void> {
    this.data.tokens = holdTokens(tokens);
    this.data.challenge = undefined;
    await this.setRefreshToken(tokens.refreshToken);
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

  #markReady(): void {
    const { data } = this;
    data.failures = 0;
    data.retryAt = 0;
    data.lastError = undefined;
    data.lastFailure = undefined;
    data.lastRefreshAt = Date.now();
    data.state = 'ready';
  }

  #fail(err: unknown, phase: RefreshPhase): void {
    const { data } = this;
    const kind = classifyFailure(err, phase);
    if (err instanceof ChallengePending) data.challenge = err.challenge;
    else data.failures++;
    const verdict = judgeFailure(kind, {
      holdsValid: isValid(signingHeld(data, this.opts.mode), Date.now()),
      failures: data.failures,
      backoff: this.opts.backoff ?? defaultBackoff,
      challenge: data.challenge?.challengeName,
    });
    data.state = verdict.state;
    data.retryAt = verdict.backoffMs === undefined ? 0 : Date.now() + verdict.backoffMs;
    data.lastError = err instanceof Error ? err.message : String(err);
    data.lastFailure = err;
    this.opts.logger?.warn(
      { event: failureEvents[kind], state: data.state, failures: data.failures },
      data.lastError,
    );
  }
}
