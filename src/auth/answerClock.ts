import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { UnexpectedResponseError } from './errors.js';

/** When an answer arrived on our clock, and how far our clock is ahead of Cognito's. */
export interface AnswerClock {
  /** Our clock when the answer's body was read (epoch ms). */
  arrivedAt: number;
  /** Our clock minus Cognito's, from the answer's `Date` header; 0 without one. */
  offsetMs: number;
}

const clocks = new WeakMap<object, AnswerClock>();

/**
 * Note, for every answer `client` reads, when it arrived and the `Date` Cognito sent with it, so
 * that the absolute times in it can be read on Cognito's clock (answerClockOf).
 */
export function recordAnswerClocks(
  client: CognitoIdentityProviderClient | CognitoIdentityClient,
): void {
  (client as CognitoIdentityClient).middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const arrivedAt = Date.now();
      const headers = (result.response as { headers?: Record<string, string | undefined> }).headers;
      const date = httpDate(headers?.['date']);
      const offsetMs = date === undefined ? 0 : clockOffset(arrivedAt, date);
      if (result.output && typeof result.output === 'object') {
        clocks.set(result.output, { arrivedAt, offsetMs });
      }
      return result;
    },
    { step: 'initialize', name: 'scribeAnswerClock' },
  );
}

/** An HTTP date as servers send it (`Sun, 06 Dec 2026 17:25:03 GMT`). */
const imfFixdate = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * A `Date` header's time, or undefined when it is no HTTP date: Date.parse reads "3000" as the
 * year 3000, which would make everything Cognito sends look expired on arrival, for ever.
 */
function httpDate(value: string | undefined): number | undefined {
  if (value === undefined || !imfFixdate.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}

/** Clocks this close are taken to agree: `Date` itself is only good to a second, plus latency. */
const agreeWithinMs = 2000;

/**
 * Our clock minus Cognito's, from an answer that arrived at `arrivedAt` with `Date: date`.
 * `Date` has a resolution of one second (Cognito's clock was in [date, date+1s) when it
 * answered): clocks that agree within that and the latency are left as they are, exactly as
 * precise as reading the times directly; beyond it, the middle of the second reads every time
 * Cognito sent within about half a second.
 */
export function clockOffset(arrivedAt: number, date: number): number {
  const raw = arrivedAt - date;
  return Math.abs(raw) <= agreeWithinMs ? 0 : raw - 500;
}

/** The clock an answer was read with (our clock, no offset, if it was not recorded). */
export function answerClockOf(output: object): AnswerClock {
  return clocks.get(output) ?? { arrivedAt: Date.now(), offsetMs: 0 };
}

/** An absolute time Cognito sent (epoch ms on its clock), on our clock. */
export function onOurClock(cognitoMs: number, clock: AnswerClock): number {
  return cognitoMs + clock.offsetMs;
}

/**
 * The longest Cognito makes anything valid: access and id tokens a day at most, identity pool
 * credentials an hour. A longer reading (a Date header garbled or years off, an Expiration or
 * ExpiresIn out of all proportion) would keep a result for years; refreshing early is harmless.
 */
export const longestLifetimeMs = { tokens: 24 * 3_600_000, credentials: 3_600_000 } as const;

/** `expiresAt` (our clock), never later than `maxMs` after the answer arrived. */
export function boundedExpiry(expiresAt: number, clock: AnswerClock, maxMs: number): number {
  return Math.min(expiresAt, clock.arrivedAt + maxMs);
}

/**
 * Refuse what is not valid on arrival (a lifetime of 0, an expiry in the past on Cognito's own
 * clock): using it would fail at once, and refreshing at once would loop. A failure instead, so
 * the caller backs off.
 */
export function requireValidOnArrival(
  expiresAt: number,
  clock: AnswerClock,
  operation: string,
  what: string,
): void {
  if (expiresAt > clock.arrivedAt) return;
  if (!Number.isFinite(expiresAt)) {
    throw new UnexpectedResponseError(
      `${operation}: Cognito sent ${what} with an expiry that cannot be read`,
      { httpStatus: 502 },
    );
  }
  throw new UnexpectedResponseError(
    `${operation}: Cognito sent ${what} that had already expired when they arrived`,
    { httpStatus: 502 },
  );
}
