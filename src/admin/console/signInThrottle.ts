import { ipKeyGenerator } from 'express-rate-limit';

/** How a sign-in with a wrong token is answered for one client address. */
export interface ThrottleVerdict {
  /** Refuse at once, without looking at the token (too many recent failures). */
  locked: boolean;
  /** Seconds until trying again can help, when locked. */
  retryAfterS: number;
}

interface Failures {
  count: number;
  firstAt: number;
}

/**
 * Repeated wrong admin tokens are slowed: each failure from an address waits longer before it is
 * answered (250 ms doubling, at most 8 s), and after `maxFailures` in the window the address is
 * refused without a check until the window ends. A right token clears the address's count.
 * An IPv6 client counts by its /64 (one host owns the whole prefix); at most `maxTracked`
 * addresses are held, the oldest dropped first, so a flood from many addresses stays bounded.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, Failures>();
  readonly #windowMs: number;
  readonly #maxFailures: number;
  readonly #maxTracked: number;
  readonly #now: () => number;

  constructor(
    options: {
      windowMs?: number;
      maxFailures?: number;
      maxTracked?: number;
      now?: () => number;
    } = {},
  ) {
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxFailures = options.maxFailures ?? 10;
    this.#maxTracked = options.maxTracked ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** How many addresses are counted now. */
  get tracked(): number {
    return this.#failures.size;
  }

  /** Whether `address` may try now. */
  verdict(address: string): ThrottleVerdict {
    const entry = this.#current(keyOf(address));
    if (!entry || entry.count < this.#maxFailures) return { locked: false, retryAfterS: 0 };
    const left = entry.firstAt + this.#windowMs - this.#now();
    return { locked: true, retryAfterS: Math.max(1, Math.ceil(left / 1000)) };
  }

  /** Count a wrong token; the milliseconds to wait before answering it. */
  failed(address: string): number {
    const key = keyOf(address);
    let entry = this.#current(key);
    if (!entry) {
      this.#makeRoom();
      entry = { count: 0, firstAt: this.#now() };
      this.#failures.set(key, entry);
    }
    entry.count++;
    return Math.min(250 * 2 ** (entry.count - 1), 8000);
  }

  /** A right token: forget the address's failures. */
  succeeded(address: string): void {
    this.#failures.delete(keyOf(address));
  }

  #current(address: string): Failures | undefined {
    const entry = this.#failures.get(address);
    if (entry && this.#now() - entry.firstAt > this.#windowMs) {
      this.#failures.delete(address);
      return undefined;
    }
    return entry;
  }

  /** Entries are kept in the order they started: drop the ended ones, then the oldest if full. */
  #makeRoom(): void {
    for (const [key, entry] of this.#failures) {
      const ended = this.#now() - entry.firstAt > this.#windowMs;
      if (!ended && this.#failures.size < this.#maxTracked) return;
      this.#failures.delete(key);
    }
  }
}

/** The key an address counts under: IPv4 as is (also IPv4-mapped), IPv6 by its /64. */
function keyOf(address: string): string {
  return ipKeyGenerator(address, 64);
}
