import type { Socket } from 'node:net';

/*
 * An upstream may answer before it has read the whole body and close the connection (RFC 9112
 * §9.3: API Gateway's 413, an authorizer's 401 or 403). Its answer is then already in the proxy's
 * receive buffer when writing the rest of the body fails with EPIPE or ECONNRESET, often before
 * Node has read a byte of it: the second write of a large body follows the first at once, while
 * the upstream, on another machine, has answered in between. A failed write destroys a Node
 * socket, and the answer with it. So on upstream sockets such a failure only ends the writing:
 * the socket keeps reading, and either the answer arrives (relayed) or the read side ends in the
 * same reset (then the request failed without an answer, as before).
 */

const peerGone = (err: Error | null | undefined): boolean => {
  const code = (err as NodeJS.ErrnoException | null | undefined)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET';
};

/**
 * Make a failed write to `socket` (the peer reset or closed it) end the writing only, never the
 * reading: called once for every connection opened to the upstream (or the egress proxy in
 * front of it).
 */
export function keepReadingAfterWriteFailure(socket: Socket): void {
  const latch =
    (callback: (error?: Error | null) => void) =>
    (error?: Error | null): void => {
      callback(peerGone(error) ? null : error);
    };
  const write = socket._write;
  socket._write = function (chunk, encoding, callback) {
    write.call(this, chunk, encoding, latch(callback));
  };
  const writev = socket._writev;
  if (writev) {
    socket._writev = function (chunks, callback) {
      writev.call(this, chunks, latch(callback));
    };
  }
}
