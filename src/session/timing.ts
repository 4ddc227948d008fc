/**
 * When something issued at `issuedAt` and expiring at `expiresAt` is due for refresh: `marginMs`
 * before expiry, but never earlier than half its lifetime, so short-lived credentials (moto's
 * 90 s, a sandbox's seconds) are not refreshed on every request.
 */
export function dueAt(issuedAt: number, expiresAt: number, marginMs: number): number {
  const lifetime = Math.max(0, expiresAt - issuedAt);
  return expiresAt - Math.min(marginMs, lifetime / 2);
}

/**
 * The wait before refresh attempt `failures + 1`: exponential, capped, with "equal jitter" (half
 * fixed, half random) so that a failing Cognito is neither hammered nor waited on at random zero.
 */
export function nextBackoffMs(
  backoff: { baseMs: number; maxMs: number },
  failures: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
