import type { Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { refuseDetached } from './rawAnswer.js';

/** The first byte of every TLS handshake record, the ClientHello's too. */
const handshakeRecord = 0x16;

const httpsRequired = {
  status: 400,
  code: 'https_required',
  reason: 'Bad Request',
  message: 'this port speaks HTTPS: send the request with https://',
};

/**
 * Plain HTTP sent to a TLS listener gets a 400 saying the port speaks HTTPS (as nginx answers)
 * instead of a bare closed connection. The first byte tells: a TLS connection starts with a
 * handshake record; such a connection goes on to the TLS server unchanged (the peeked bytes
 * are put back, and TLS reads them first). A client that sends nothing within `waitMs` is cut.
 */
export function refusePlainHttp(server: TlsServer, waitMs: number): void {
  const tlsListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  // Node's TLS server takes its connections on this event; were that ever not so, serve TLS as is.
  if (tlsListeners.length === 0) return;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const failed = () => socket.destroy();
    const first = (chunk: Buffer) => {
      socket.off('error', failed);
      socket.setTimeout(0);
      socket.pause();
      if (chunk[0] !== handshakeRecord) {
        refuseDetached(socket, httpsRequired, waitMs);
        return;
      }
      socket.unshift(chunk);
      for (const listener of tlsListeners) listener.call(server, socket);
    };
    socket.on('error', failed);
    socket.setTimeout(waitMs, failed);
    socket.once('data', first);
  });
}
