import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { operationOf } from './cognitoOperation.js';
import { closeNow, listenOnLoopback } from './loopbackServer.js';

/**
 * A loopback HTTP server in Cognito's place that counts the operations it receives (by
 * X-Amz-Target, e.g. InitiateAuth), so a test can tell what reached Cognito and what did not.
 * Subclasses say how each request is answered.
 */
export abstract class CountingServer {
  readonly calls: Record<string, number> = {};
  url = '';
  #server: Server | undefined;

  /** Answer one request (its operation already counted). */
  protected abstract handle(req: IncomingMessage, res: ServerResponse): void;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const operation = operationOf(req.headers);
      this.calls[operation] = (this.calls[operation] ?? 0) + 1;
      this.handle(req, res);
    });
    this.url = await listenOnLoopback(this.#server);
    return this;
  }

  /** Calls of `operation` so far. */
  count(operation: string): number {
    return this.calls[operation] ?? 0;
  }

  async stop(): Promise<void> {
    await closeNow(this.#server);
  }
}
