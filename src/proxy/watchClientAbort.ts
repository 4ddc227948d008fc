import type { ServerResponse } from 'node:http';
import { ProxyError } from './ProxyError.js';

/** The client went away before its response was complete (logged as 499). */
export const clientGone = (): ProxyError =>
  new ProxyError(499, 'client_closed', 'the client went away');

/**
 * Whether a request's client left (or shutdown cut the request), and who to tell. The passes on
 * the hot path register plain callbacks; an AbortSignal, which costs an EventTarget and its
 * listeners, is made only when something asks for one (a wait on the session), so a request
 * that never waits never builds one.
 */
export class ClientWatch {
  aborted = false;
  reason: unknown = undefined;
  #controller: AbortController | undefined;
  #listeners: Array<(reason: unknown) => void> | undefined;

  /** An AbortSignal that follows this watch, for APIs that take one. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  /** Call `listener` once if the request is aborted later (not when it already is). */
  onAbort(listener: (reason: unknown) => void): void {
    (this.#listeners ??= []).push(listener);
  }

  offAbort(listener: (reason: unknown) => void): void {
    const listeners = this.#listeners;
    if (!listeners) return;
    const at = listeners.indexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
  }

  /** Abort with `reason`: every listener and the signal (if made) see it; only the first counts. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
    this.#controller?.abort(reason);
  }
}

/**
 * The first pass, run before any other: a watch that fires when the client leaves (its
 * connection closes before the response is complete), so no later step sends anything upstream
 * for a client that is gone, and waits end at once.
 */
export function watchClientAbort(res: ServerResponse): ClientWatch {
  const watch = new ClientWatch();
  // 'close' comes once: `on` spares the wrapper `once` would add.
  res.on('close', () => {
    if (!res.writableFinished) watch.abort(clientGone());
  });
  return watch;
}
