import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { lingeringClose, sendJsonError } from '../http/index.js';
import type { Listener } from './hardenedServer.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const overloaded = {
  code: 'overloaded',
  message: 'the proxy has as many open connections as it may; retry shortly',
  headers: { connection: 'close', 'retry-after': '1' },
} as const;

/**
 * At most `max` open connections on a listener (PROXY_MAX_CONNECTIONS, ADMIN_MAX_CONNECTIONS).
 * An own count, not Node's `server.maxConnections`: that closes a connection past the cap without
 * a word, and the client cannot tell an overload from a crash. Here the request of a plain-HTTP
 * connection past the cap is answered 503 `overloaded` with `Retry-After`, and the connection
 * closes (a lingering close, as for every refusal that closes). An HTTPS connection past it is
 * closed at once: an answer would first cost the TLS handshake the cap is there to spare. So is
 * any connection past twice the cap, so that a flood cannot hold sockets waiting for an answer.
 * While under the cap, a request costs one comparison.
 */
export class ConnectionCap {
  #open = 0;
  /** Connections past the cap still open. */
  #refusing = 0;
  /** Each of them, and whether its refusal was sent. */
  readonly #past = new WeakMap<Socket, boolean>();

  constructor(
    readonly max: number,
    private readonly onRefused: () => void,
  ) {}

  /** Connections open now. */
  get open(): number {
    return this.#open;
  }

  /** Count the connections of `server`. */
  watch(server: Listener): void {
    const tls = 'setSecureContext' in server;
    server.on('connection', (socket: Socket) => {
      this.#open++;
      socket.once('close', () => this.#open--);
      if (this.#open <= this.max) return;
      if (tls || this.#open > 2 * this.max) {
        this.onRefused();
        socket.destroy();
        return;
      }
      this.#refusing++;
      this.#past.set(socket, false);
      socket.once('close', () => this.#refusing--);
    });
  }

  /** `handler`, with the requests of connections past the cap refused. */
  guard(handler: Handler): Handler {
    return (req, res) => {
      if (this.#refusing === 0) return handler(req, res);
      const answered = this.#past.get(req.socket);
      if (answered === undefined) return handler(req, res);
      if (answered) {
        // Pipelined behind the refusal: the connection is closing.
        req.resume();
        return;
      }
      this.#past.set(req.socket, true);
      this.onRefused();
      sendJsonError(res, 503, overloaded.code, overloaded.message, overloaded.headers);
      res.once('finish', () => lingeringClose(req));
    };
  }
}
