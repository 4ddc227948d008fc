import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { settledBefore } from './boundedWait.js';
import { LoginsInFlight } from './loginsInFlight.js';
import { loginOutcome } from './loginOutcome.js';
import {
  ClientLoginError,
  LoginRefusals,
  refusalPolicy,
  type LoginOutcome,
} from './loginRefusals.js';
import { OperatorActions } from './operatorActions.js';
import type { Session } from './Session.js';
import { operatorStates, type SessionState } from './types.js';
import { userKey } from './userName.js';

/** Why a session left the cache. */
export type EvictionReason = 'idle' | 'capacity' | 'admin' | 'failed' | 'shutdown';

/** One held session as the admin API lists it: never a secret. */
export interface SessionListing {
  username: string;
  state: SessionState;
  tokensExpireAt: string | undefined;
  credentialsExpireAt: string | undefined;
  loggedInAt: string;
  lastUsedAt: string;
  lastRefreshAt: string | undefined;
  lastError: string | undefined;
}

export interface SessionCacheOptions {
  /** Most sessions held (PROXY_MAX_SESSIONS); the least recently used goes first. */
  max: number;
  /** A session unused this long is evicted (PROXY_SESSION_IDLE_S). */
  idleMs: number;
  /** A new session for a client's login (not started). */
  create(login: { username: string; password: string }): Session;
  /** Longest a request waits for a login in flight (default 30 s). */
  maxLoginWaitMs?: number;
  /**
   * Most different logins in flight at once (default 32); more are refused (`busy`) without
   * calling Cognito, so a flood of new logins cannot spend Scribe's Cognito quota.
   */
  maxPendingLogins?: number;
  /** After each login attempt, or a login answered from the negative cache ('remembered'). */
  onLogin?(outcome: LoginOutcome | 'remembered'): void;
  /** After each eviction. */
  onEviction?(reason: EvictionReason): void;
}

interface Entry {
  session: Session;
  username: string;
  loggedInAt: number;
  lastUsedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The per-client mode's sessions (DESIGN.md, "Sessions: one shared account, or one per client"):
 * one per account in an lru-cache bounded by count and idle time, keyed by an HMAC of the user
 * name (compared as the pool compares it: userName.ts) and password under a random per-process
 * key, so a wrong password never reaches another login's session and no password is ever a key. One login per account however many requests arrive
 * together; refused logins are answered from a negative cache.
 */
export class SessionCache {
  readonly #options: SessionCacheOptions;
  readonly #hmacKey = randomBytes(32);
  readonly #sessions: LRUCache<string, Entry>;
  readonly #pending = new LoginsInFlight();
  readonly #refusals: LoginRefusals;
  readonly #reasons = new Map<string, EvictionReason>();
  readonly #sweeper: NodeJS.Timeout;
  // The clock lru-cache reads, as Date.now (fake timers in tests replace Date).
  readonly #now = () => Date.now();
  #lastLogin: LoginOutcome | undefined;
  /** Sessions logging in now, discarded at close(). */
  readonly #starting = new Set<Session>();
  #closed = false;

  constructor(options: SessionCacheOptions) {
    this.#options = options;
    this.#refusals = new LoginRefusals();
    this.#sessions = new LRUCache<string, Entry>({
      max: options.max,
      ttl: options.idleMs,
      updateAgeOnGet: true,
      // Read the clock on every look-up (lru-cache otherwise reuses one reading for a moment).
      ttlResolution: 0,
      perf: { now: this.#now },
      dispose: (entry, key, reason) => {
        const why = this.#reasons.get(key) ?? (reason === 'evict' ? 'capacity' : 'idle');
        this.#reasons.delete(key);
        entry.session.discard();
        options.onEviction?.(why);
      },
    });
    // lru-cache drops an idle entry when it is next looked up; the sweep stops the timers of
    // those nobody looks up again.
    this.#sweeper = setInterval(
      () => this.#sessions.purgeStale(),
      Math.min(Math.max(options.idleMs / 10, 1000), 60_000),
    );
    this.#sweeper.unref();
  }

  /** Sessions held now. */
  get size(): number {
    return this.#sessions.size;
  }

  /** False when the last login could not reach Cognito (what per-client readiness reports). */
  get cognitoReachable(): boolean {
    return this.#lastLogin !== 'unavailable';
  }

  /**
   * The session of this login: held, or logged in now (once for all requests that arrive
   * together). Throws ClientLoginError when the login gives no session; an aborted `signal`
   * ends the wait (the login goes on for the others).
   */
  async session(username: string, password: string, signal?: AbortSignal): Promise<Session> {
    const key = this.#keyOf(username, password);
    const deadline = Date.now() + (this.#options.maxLoginWaitMs ?? 30_000);
    for (;;) {
      if (this.#closed) break;
      const held = this.#held(key);
      if (held) return held;
      const refusal = this.#refusals.check(username, key);
      if (refusal) {
        this.#options.onLogin?.('remembered');
        throw new ClientLoginError(refusal.outcome, refusal.retryAfterS, true);
      }
      let pending = this.#pending.get(key);
      if (!pending) {
        // Other passwords of this user still in flight count as refusals to come: a burst of
        // guesses reaches Cognito no more often than a sequence would.
        const others = this.#pending.ofUser(username);
        const guard = refusalPolicy.maxRejectedPerUser;
        if (others.size > 0 && this.#refusals.recentRejections(username) + others.size >= guard) {
          if (!(await settledBefore(Promise.race(others), deadline, signal))) break;
          continue;
        }
        if (this.#pending.size >= (this.#options.maxPendingLogins ?? 32)) {
          this.#options.onLogin?.('busy');
          throw new ClientLoginError('busy', 1, false);
        }
        pending = this.#pending.add(key, username, this.#logIn(key, username, password));
      }
      if (!(await settledBefore(pending, deadline, signal))) break;
      return pending;
    }
    throw new ClientLoginError('unavailable', 5, false);
  }

  /** Every session held, most recently used first. */
  list(): SessionListing[] {
    this.#sessions.purgeStale();
    return [...this.#sessions.values()].map(({ session, username, loggedInAt, lastUsedAt }) => {
      const status = session.status();
      return {
        username,
        state: status.state,
        tokensExpireAt: status.tokensExpireAt,
        credentialsExpireAt: status.credentialsExpireAt,
        loggedInAt: iso(loggedInAt),
        lastUsedAt: iso(lastUsedAt),
        lastRefreshAt: status.lastRefreshAt,
        lastError: status.lastError,
      };
    });
  }

  /**
   * Evict every session of `username`, however it was spelled (one per password it logged in with); with `revoke`, first
   * revoke each refresh token. A refused revoke keeps that session (so it can be tried again) and
   * throws, after the others were handled.
   */
  async evict(username: string, revoke = false): Promise<{ evicted: number; revoked: number }> {
    const keys = [...this.#sessions.entries()]
      .filter(([, entry]) => userKey(entry.username) === userKey(username))
      .map(([key]) => key);
    let evicted = 0;
    let revoked = 0;
    let failure: unknown;
    for (const key of keys) {
      const entry = this.#sessions.peek(key);
      if (!entry) continue;
      if (revoke) {
        try {
          await new OperatorActions(entry.session).revoke({ logInAgain: false });
          revoked++;
        } catch (err) {
          failure ??= err;
          continue;
        }
      }
      if (this.#delete(key, 'admin')) evicted++;
    }
    if (failure) throw failure;
    return { evicted, revoked };
  }

  /** Evict everything, discard the logins still running, and stop the sweep (shutdown). Final. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#sweeper);
    for (const session of this.#starting) session.discard();
    for (const key of [...this.#sessions.keys()]) this.#delete(key, 'shutdown');
  }

  #keyOf(username: string, password: string): string {
    return createHmac('sha256', this.#hmacKey)
      .update(JSON.stringify([userKey(username), password]))
      .digest('base64url');
  }

  /** The held session of this login, unless it can no longer serve without a new login. */
  #held(key: string): Session | undefined {
    const entry = this.#sessions.get(key);
    if (!entry) return undefined;
    if (operatorStates.has(entry.session.state)) {
      // Its refresh token and password were refused since: log in anew (and answer accordingly).
      this.#delete(key, 'failed');
      return undefined;
    }
    entry.lastUsedAt = this.#now();
    return entry.session;
  }

  async #logIn(key: string, username: string, password: string): Promise<Session> {
    const session = this.#options.create({ username, password });
    this.#starting.add(session);
    try {
      await session.start();
    } finally {
      this.#starting.delete(session);
    }
    if (this.#closed) {
      // Closed while it logged in: discarded (by close), never cached.
      session.discard();
      throw new ClientLoginError('unavailable', 5, false);
    }
    const outcome = loginOutcome(session);
    this.#lastLogin = outcome;
    this.#options.onLogin?.(outcome);
    if (outcome === 'ok') {
      const now = this.#now();
      this.#refusals.succeeded(username);
      this.#sessions.set(key, { session, username, loggedInAt: now, lastUsedAt: now });
      return session;
    }
    session.discard();
    const refusal = this.#refusals.remember(username, key, outcome);
    throw new ClientLoginError(outcome, refusal.retryAfterS, false);
  }

  #delete(key: string, reason: EvictionReason): boolean {
    this.#reasons.set(key, reason);
    const deleted = this.#sessions.delete(key);
    if (!deleted) this.#reasons.delete(key);
    return deleted;
  }
}
