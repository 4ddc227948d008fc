import type { Duplex } from 'node:stream';
import { errorBody } from '../http/index.js';

/** A refusal: status line, JSON error code and message. */
export interface RawRefusal {
  status: number;
  reason: string;
  code: string;
  message: string;
}

/** Write `refusal` as a whole HTTP answer straight on the socket and close it (no response object). */
export function rawAnswer(socket: Duplex, refusal: RawRefusal): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(refusal.code, refusal.message);
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * Answer a socket the HTTP server no longer owns (after a CONNECT or an Upgrade it hands the
 * socket over without its error handler; before TLS it never had one): an error on it (the
 * client's reset) is this connection's end, never the process's, and the connection is dropped
 * when the client has not closed it within `lingerMs`, whatever it still sends. What the client still sends is read
 * and dropped, so that closing does not reset the answer away.
 */
export function refuseDetached(socket: Duplex, refusal: RawRefusal, lingerMs: number): void {
  socket.on('error', () => socket.destroy());
  // A deadline, not an idle timeout: a client trickling a byte at a time would hold an idle
  // timeout off for ever (and the shutdown with it).
  const linger = setTimeout(() => socket.destroy(), lingerMs);
  socket.once('close', () => clearTimeout(linger));
  socket.resume();
  rawAnswer(socket, refusal);
}
