import { isTransient } from './errors.js';

/** How idempotent Cognito calls are retried: attempts in all, and the backoff's base and cap. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

/** The "full jitter" delay before retry number `retry` (1-based): uniform in [0, min(cap, base*2^n)]. */
export function backoffDelay(policy: RetryPolicy, retry: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Run `call`, retrying transient failures (throttling, 5xx, network) with jittered exponential
 * backoff. `call` must throw already-mapped errors; anything not transient is thrown at once.
 */
export async function withRetry<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(policy, attempt)));
    }
  }
}
