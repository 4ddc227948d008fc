import type { IncomingMessage } from 'node:http';

/** How long, and how much of, an upload is read and thrown away after it was refused. */
export interface LingerBounds {
  /** Longest the connection stays open after the answer. */
  totalMs: number;
  /** Longest silence from the client before the connection closes. */
  idleMs: number;
  /** Most bytes read (and dropped) after the answer. */
  maxBytes: number;
}

/** nginx's lingering_time and lingering_timeout, and room for an upload several times the limit. */
export const lingerBounds: LingerBounds = { totalMs: 30_000, idleMs: 5_000, maxBytes: 64 << 20 };

/**
 * Close the connection of a request refused while its body may still be arriving, so that the
 * client reads the refusal (RFC 9112 9.6, nginx's lingering close). Many clients (Python's
 * http.client, requests, often curl) send the whole body before reading: a socket closed with
 * their bytes unread answers them with a reset, which discards the refusal waiting in their
 * receive buffer. So once the answer is out (Node has sent FIN after it), the rest is read and
 * dropped until the client closes, falls silent, or a bound is reached; then the socket closes.
 * Call it when the answer has finished. Holds no memory: what arrives is discarded.
 */
export function lingeringClose(req: IncomingMessage, bounds: LingerBounds = lingerBounds): void {
  const socket = req.socket;
  if (socket.destroyed) return;
  // Node ends a `Connection: close` answer with destroySoon(): end() now, destroy() on 'finish'.
  // Only the end is wanted (a half-close); the bounds below do the destroying.
  socket.removeListener('finish', socket.destroy);
  const startedAt = Date.now();
  const startBytes = socket.bytesRead;
  let lastBytes = startBytes;
  let lastProgressAt = startedAt;
  const close = () => {
    clearInterval(check);
    socket.destroy();
  };
  const check = setInterval(
    () => {
      const now = Date.now();
      const bytes = socket.bytesRead;
      if (bytes !== lastBytes) {
        lastBytes = bytes;
        lastProgressAt = now;
      }
      if (
        now - lastProgressAt >= bounds.idleMs ||
        now - startedAt >= bounds.totalMs ||
        bytes - startBytes > bounds.maxBytes
      ) {
        close();
      }
    },
    Math.max(10, Math.min(bounds.idleMs, 1000) / 4),
  );
  check.unref();
  // The client closed its side (it has read the answer, or gave up): nothing more is owed.
  socket.once('end', close);
  socket.once('close', () => clearInterval(check));
  // Whatever the refused request still sends flows into the void.
  req.resume();
}
