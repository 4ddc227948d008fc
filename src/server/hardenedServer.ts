import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rawAnswer, refuseDetached } from './rawAnswer.js';
import { refuseHostLines } from './refuseHostLines.js';
import { refusePlainHttp } from './refusePlainHttp.js';

/** Server-side bounds: header size and the time a client has to send headers and body. */
export interface ServerLimits {
  maxHeaderBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export const defaultLimits: ServerLimits = {
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
};

function rawError(
  socket: Duplex,
  status: number,
  reason: string,
  code: string,
  message: string,
): void {
  rawAnswer(socket, { status, reason, code, message });
}

/** An error of the TLS layer (handshake timeout, a refused version or certificate, not TLS). */
function isTlsError(err: NodeJS.ErrnoException): boolean {
  return /^ERR_(TLS|SSL)_/.test(err.code ?? '') || 'library' in err;
}

/**
 * Whether the connection owes an answer the bad bytes are no part of: one under way, or one to
 * a request read whole (the bytes came after it). Node keeps the answer being written as the
 * socket's `_httpMessage` (its own default clientError handler reads it too); nothing is added to
 * the hot path for this.
 */
function answerOwedBefore(socket: Duplex): boolean {
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (current === undefined || current === null || current.writableFinished) return false;
  return current.headersSent || current.req.complete;
}

const connectRefused = {
  status: 400,
  code: 'connect_refused',
  reason: 'Bad Request',
  message: 'CONNECT is not supported; this is not an open proxy',
};

const upgradeRefused = {
  status: 400,
  code: 'upgrade_refused',
  reason: 'Bad Request',
  message: 'protocol upgrades are not proxied',
};

/**
 * Make `closeAllConnections` cut every connection, not only those HTTP holds: a TLS connection
 * before its first byte or during its handshake, and one answered raw (a refused CONNECT or
 * Upgrade, plain HTTP on a TLS port), which Node's own list never held. Without it, one silent
 * client kept a shutdown waiting for the header timeout, past SHUTDOWN_GRACE_S.
 */
function cutEveryConnection(server: Listener): void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const closeHttpConnections = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeHttpConnections();
    for (const socket of sockets) socket.destroy();
  };
}

/** A listener: plain HTTP, or HTTPS. */
export type Listener = Server | HttpsServer;

/**
 * An HTTP listener with bounds: CONNECT and upgrades are refused; malformed requests, two Host
 * lines and an HTTP/1.1 request without one get 400 and oversized headers 431, as JSON. With
 * `tls` it serves HTTPS under the same bounds, a TLS handshake must finish within the header
 * timeout too, and plain HTTP sent to it gets a 400 saying it speaks HTTPS. Nothing a client
 * sends or cuts (a reset at any byte) is more than that connection's end.
 */
export function createHardenedServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  limits: ServerLimits = defaultLimits,
  tls?: TlsOptions,
): Listener {
  const options = {
    maxHeaderSize: limits.maxHeaderBytes,
    // Node checks the header and request timeouts on this interval (30 s by default): without
    // it, a slow client could hold a connection for the timeout plus up to 30 s.
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, limits.headersTimeoutMs / 4)),
    // refuseHostLines answers a missing Host as JSON; Node's own answer is a bare 400.
    requireHostHeader: false,
  };
  const guarded = refuseHostLines(handler);
  const server = tls
    ? createHttpsServer({ ...options, ...tls, handshakeTimeout: limits.headersTimeoutMs }, guarded)
    : createServer(options, guarded);
  if (tls) refusePlainHttp(server as HttpsServer, limits.headersTimeoutMs);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // After a CONNECT or an Upgrade, Node hands the socket over without its error handler: a
  // client resetting it then would be an unhandled 'error' event, and the process's end.
  server.on('connect', (_req, socket: Duplex) => {
    refuseDetached(socket, connectRefused, limits.keepAliveTimeoutMs);
  });
  server.on('upgrade', (_req, socket: Duplex) => {
    refuseDetached(socket, upgradeRefused, limits.keepAliveTimeoutMs);
  });
  cutEveryConnection(server);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (answerOwedBefore(socket)) {
      // A request before the bad bytes is still being answered: a 400 now would read as its
      // answer (or land inside it), though it may have run upstream. Bytes after
      // `Connection: close` are ignored (RFC 9112 9.6: the connection closes after that
      // answer); anything else cuts the connection.
      if (err.code !== 'HPE_CLOSED_CONNECTION') socket.destroy();
    } else if (isTlsError(err)) {
      // A handshake that failed or never finished (HTTPS passes those on as client errors):
      // there is no channel to answer on, and an answer queued on it would hold the socket.
      socket.destroy();
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      rawError(
        socket,
        431,
        'Request Header Fields Too Large',
        'headers_too_large',
        'the request headers are too large',
      );
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      rawError(
        socket,
        408,
        'Request Timeout',
        'request_timeout',
        'the request took too long to arrive',
      );
    } else if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
    } else {
      rawError(socket, 400, 'Bad Request', 'bad_request', 'the request could not be parsed');
    }
  });
  return server;
}
