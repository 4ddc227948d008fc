import { dueAt } from './timing.js';

/** Something issued at a time and valid until a time; `stale` once the upstream refused it. */
export interface Held<T> {
  value: T;
  issuedAt: number;
  expiresAt: number;
  stale?: boolean;
}

/** Held, not refused, and not yet expired. */
export function isValid<T>(held: Held<T> | undefined, now: number): held is Held<T> {
  return held !== undefined && !held.stale && held.expiresAt > now;
}

/** Missing, refused, expired, or inside its refresh margin. */
export function isDue(held: Held<unknown> | undefined, now: number, marginMs: number): boolean {
  return (
    !held ||
    held.stale === true ||
    now >= held.expiresAt ||
    now >= dueAt(held.issuedAt, held.expiresAt, marginMs)
  );
}
