import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationOf } from './cognitoOperation.js';

/** One answer of the pool: HTTP status and JSON body. */
export type PoolAnswer = [number, unknown];

/** Answers each call from its operation (InitiateAuth, RevokeToken, ...) and JSON body. */
export type PoolScript = (
  operation: string,
  body: Record<string, unknown>,
) => PoolAnswer | Promise<PoolAnswer>;

/**
 * A user pool on a loopback port whose every answer a test scripts: real HTTP, so a service
 * configured with `SCRIBE_COGNITO_ENDPOINT` talks to it as it would to Cognito. `calls` counts
 * the operations that arrived (before their answer, so a stalled answer is counted too).
 */
export class ScriptedPoolServer {
  url = '';
  readonly calls: Record<string, number> = {};
  script: PoolScript;
  #server: Server | undefined;

  constructor(script: PoolScript) {
    this.script = script;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const operation = operationOf(req.headers);
        this.calls[operation] = (this.calls[operation] ?? 0) + 1;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        void Promise.resolve(this.script(operation, body)).then(([status, answer]) => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(answer));
        });
      });
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
