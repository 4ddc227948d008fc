import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** One request a forward proxy was asked to carry. */
export interface ProxiedCall {
  kind: 'absolute-form' | 'connect';
  /** The absolute URL (absolute-form) or host:port (CONNECT). */
  target: string;
  /** The Proxy-Authorization it came with, when it came with one. */
  authorization?: string;
}

/** A call's record: its Proxy-Authorization only when it had one. */
function called(
  kind: ProxiedCall['kind'],
  target: string,
  authorization: string | undefined,
): ProxiedCall {
  return authorization === undefined ? { kind, target } : { kind, target, authorization };
}

/**
 * A recording forward proxy on loopback, like a corporate egress proxy: absolute-form requests
 * (`GET http://host/path`) are forwarded, CONNECT opens a tunnel; every call is recorded.
 */
export class ForwardProxy {
  readonly calls: ProxiedCall[] = [];
  url = '';
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const target = req.url ?? '';
      this.calls.push(called('absolute-form', target, req.headers['proxy-authorization']));
      const url = new URL(target);
      // The path exactly as asked for (a URL parser would turn `\\` into `/`, `/a/../b` into `/b`).
      const authorityEnd = target.indexOf('/', `${url.protocol}//`.length);
      const upstream = request(
        {
          hostname: url.hostname,
          port: url.port,
          method: req.method,
          path: authorityEnd === -1 ? '/' : target.slice(authorityEnd),
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    server.on('connect', (req, client: Socket, head: Buffer) => {
      const target = req.url ?? '';
      this.calls.push(called('connect', target, req.headers['proxy-authorization']));
      const [host, port] = target.split(':');
      const tunnel = connect(Number(port), host ?? '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) tunnel.write(head);
        tunnel.pipe(client).pipe(tunnel);
      });
      tunnel.on('error', () => client.destroy());
      client.on('error', () => tunnel.destroy());
    });
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
