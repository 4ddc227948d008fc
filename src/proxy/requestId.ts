import { randomUUID } from 'node:crypto';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** True for a request id fit to log and forward: short, of word characters, `.`, `:` or `-`. */
export function isAcceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && requestIdPattern.test(value);
}

/** The client's x-request-id when acceptable, else a new one. */
export function requestIdFor(incoming: unknown): string {
  return isAcceptableRequestId(incoming) ? incoming : randomUUID();
}
