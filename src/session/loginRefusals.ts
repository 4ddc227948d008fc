import { LRUCache } from 'lru-cache';
import { userKey } from './userName.js';

/** How a client's login went, as the per-client cache reports it. */
export type LoginOutcome =
  | 'ok'
  | 'rejected'
  | 'user-locked'
  | 'new-password-required'
  | 'mfa-required'
  | 'reset-required'
  | 'unconfirmed'
  | 'identity-refused'
  | 'mfa-unsupported'
  | 'login-refused'
  | 'throttled'
  | 'busy'
  | 'unavailable';

/** A login that did not give a session. */
export type RefusedOutcome = Exclude<LoginOutcome, 'ok'>;

/**
 * How long a refused login is answered without asking Cognito again. Cognito locks a user out
 * after a few failed attempts, so a tool retrying a wrong password in a loop must not reach it;
 * an outage or throttling is not the user's fault, so it is remembered only briefly.
 */
export const refusalPolicy = {
  /** The same username and password, refused: answered from memory this long. */
  rememberMs: {
    rejected: 300_000,
    // Not remembered per login: the user name's own window (userWindowMs) says how long.
    'user-locked': 0,
    'new-password-required': 60_000,
    'mfa-required': 60_000,
    'reset-required': 60_000,
    unconfirmed: 60_000,
    'identity-refused': 60_000,
    // The account's refusals: asking again would not help (and may text the user a code).
    'mfa-unsupported': 300_000,
    'login-refused': 300_000,
    throttled: 60_000,
    // Too many logins in flight at this gateway: not the account's doing, not remembered.
    busy: 0,
    unavailable: 5_000,
  } satisfies Record<RefusedOutcome, number>,
  /** A username with this many refused passwords inside `userWindowMs` is not tried again... */
  maxRejectedPerUser: 3,
  /** ...until the oldest of them is this old. */
  userWindowMs: 300_000,
  /** Most logins and usernames remembered (oldest forgotten first). */
  maxRemembered: 10_000,
};

/** A client's login that gave no session; the layer showing it says what to do. */
export class ClientLoginError extends Error {
  constructor(
    readonly outcome: RefusedOutcome,
    /** Seconds after which trying again may help. */
    readonly retryAfterS: number,
    /** Answered from the negative cache, without asking Cognito. */
    readonly remembered: boolean,
  ) {
    super(`login ${outcome}`);
    this.name = 'ClientLoginError';
  }
}

/** A login answered from memory: what it was, and in how many seconds trying again may help. */
export interface Refusal {
  outcome: RefusedOutcome;
  retryAfterS: number;
}

/**
 * The negative cache of the per-client mode: recently refused logins (by their cache key, never
 * the password) and the usernames that failed repeatedly. Bounded in size and in time.
 */
export class LoginRefusals {
  readonly #byLogin: LRUCache<string, { outcome: RefusedOutcome; until: number }>;
  readonly #rejectedAt: LRUCache<string, number[]>;
  // The clock lru-cache reads, as Date.now (fake timers in tests replace Date).
  readonly #now = () => Date.now();

  constructor() {
    const perf = { now: this.#now };
    const ttlResolution = 0;
    this.#byLogin = new LRUCache({ max: refusalPolicy.maxRemembered, ttl: 1, ttlResolution, perf });
    this.#rejectedAt = new LRUCache({
      max: refusalPolicy.maxRemembered,
      ttl: refusalPolicy.userWindowMs,
      ttlResolution,
      perf,
    });
  }

  /** A recent refusal of this login (`key`) or of this username, if any. */
  check(username: string, key: string): Refusal | undefined {
    const now = this.#now();
    const known = this.#byLogin.get(key);
    if (known) return { outcome: known.outcome, retryAfterS: secondsUntil(known.until, now) };
    const times = this.#recentRejections(username, now);
    if (times.length >= refusalPolicy.maxRejectedPerUser) {
      // Any password, the right one too: it is the user name that waits, not this password.
      const until = (times[0] ?? now) + refusalPolicy.userWindowMs;
      return { outcome: 'user-locked', retryAfterS: secondsUntil(until, now) };
    }
    return undefined;
  }

  /** Remember a refused login; the answer to give now, and for as long as it is remembered. */
  remember(username: string, key: string, outcome: RefusedOutcome): Refusal {
    const now = this.#now();
    const ms = refusalPolicy.rememberMs[outcome];
    if (ms > 0) this.#byLogin.set(key, { outcome, until: now + ms }, { ttl: ms });
    if (outcome === 'rejected') {
      const name = userKey(username);
      this.#rejectedAt.set(name, [...this.#recentRejections(username, now), now]);
    }
    return { outcome, retryAfterS: secondsUntil(now + ms, now) };
  }

  /** The username logged in: its earlier failures no longer count. */
  succeeded(username: string): void {
    this.#rejectedAt.delete(userKey(username));
  }

  /** How many passwords of this user name were refused inside the window. */
  recentRejections(username: string): number {
    return this.#recentRejections(username, this.#now()).length;
  }

  #recentRejections(username: string, now: number): number[] {
    const times = this.#rejectedAt.get(userKey(username)) ?? [];
    return times.filter((t) => now - t < refusalPolicy.userWindowMs);
  }
}

function secondsUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
