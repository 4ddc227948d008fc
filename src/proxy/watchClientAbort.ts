import type { ServerResponse } from 'node:http';
import { ProxyError } from './ProxyError.js';

/** The client went away before its response was complete (logged as 499). */
export const clientGone = (): ProxyError =>
  new ProxyError(499, 'client_closed', 'the client went away');

/**
 * The first pass, run before any other: an AbortSignal that fires when the client leaves (its
 * connection closes before the response is complete), so no later step sends anything upstream
 * for a client that is gone, and waits end at once.
 */
export function watchClientAbort(res: ServerResponse): AbortController {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(clientGone());
  });
  return controller;
}
