import type { Socket } from 'node:net';

/*
 * Whether a connection that failed under a request had carried an answer before: only a
 * kept-alive connection can have been closed by the keep-alive race (the upstream closing it as
 * idle just as the proxy reused it). A fresh connection that resets may have had the request
 * acted on, so its request is not sent again.
 */

const readBeforeError = Symbol('bytes the connection had read when it failed');

/** Mark the errors of an upstream connection with how much it had read until then. */
export function markConnectionErrors(socket: Socket): void {
  socket.on('error', (err: Error & { [readBeforeError]?: number }) => {
    err[readBeforeError] ??= socket.bytesRead;
  });
}

/**
 * True when the failed connection had read bytes before (an earlier answer: it was reused);
 * false when it had not, or nothing says.
 */
export function connectionWasUsed(err: Error): boolean {
  const marked = (err as Error & { [readBeforeError]?: number })[readBeforeError];
  // undici's own socket errors (the peer closed it) carry the connection's counters.
  const info = (err as Error & { socket?: { bytesRead?: number } }).socket;
  const read = marked ?? info?.bytesRead;
  return read !== undefined && read > 0;
}
