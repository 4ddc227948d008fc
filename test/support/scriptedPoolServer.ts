import type { IncomingMessage, ServerResponse } from 'node:http';
import { operationOf } from './cognitoOperation.js';
import { CountingServer } from './countingServer.js';

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
export class ScriptedPoolServer extends CountingServer {
  constructor(public script: PoolScript) {
    super();
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8') || '{}';
      const body = JSON.parse(text) as Record<string, unknown>;
      void Promise.resolve(this.script(operationOf(req.headers), body)).then(([status, answer]) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer));
      });
    });
  }
}
