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
 */
export class SignInThrottle {
  readonly #failures = new Map<string, Failures>();
  readonly #windowMs: number;
  readonly #maxFailures: number;
  readonly #now: () => number;

  constructor(options: { windowMs?: number; maxFailures?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxFailures = options.maxFailures ?? 10;
    this.#now = options.now ?? Date.now;
  }

  /** Whether `address` may try now. */
  verdict(address: string): ThrottleVerdict {
    const entry = this.#current(address);
    if (!entry || entry.count < this.#maxFailures) return { locked: false, retryAfterS: 0 };
    const left = entry.firstAt + this.#windowMs - this.#now();
    return { locked: true, retryAfterS: Math.max(1, Math.ceil(left / 1000)) };
  }

  /** Count a wrong token; the milliseconds to wait before answering it. */
  failed(address: string): number {
    const entry = this.#current(address) ?? { count: 0, firstAt: this.#now() };
    entry.count++;
    this.#failures.set(address, entry);
    if (this.#failures.size > 10_000) this.#sweep();
    return Math.min(250 * 2 ** (entry.count - 1), 8000);
  }

  /** A right token: forget the address's failures. */
  succeeded(address: string): void {
    this.#failures.delete(address);
  }

  #current(address: string): Failures | undefined {
    const entry = this.#failures.get(address);
    if (entry && this.#now() - entry.firstAt > this.#windowMs) {
      this.#failures.delete(address);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    for (const address of [...this.#failures.keys()]) this.#current(address);
  }
}
