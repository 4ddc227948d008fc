import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { CountingServer } from './countingServer.js';

/**
 * An HTTP relay in front of a Cognito emulator that counts the operations it forwards (by
 * X-Amz-Target, e.g. InitiateAuth), so a test can tell what reached Cognito and what did not.
 */
export class CountingRelay extends CountingServer {
  constructor(private readonly target: URL) {
    super();
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
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
  }
}
