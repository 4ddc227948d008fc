import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationOf } from './cognitoOperation.js';

/**
 * An HTTP relay in front of a Cognito emulator that counts the operations it forwards (by
 * X-Amz-Target, e.g. InitiateAuth), so a test can tell what reached Cognito and what did not.
 */
export class CountingRelay {
  readonly calls: Record<string, number> = {};
  url = '';
  #server: Server | undefined;

  constructor(private readonly target: URL) {}

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const operation = operationOf(req.headers);
      this.calls[operation] = (this.calls[operation] ?? 0) + 1;
      const forward = request(
        {
          hostname: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Calls of `operation` so far. */
  count(operation: string): number {
    return this.calls[operation] ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
