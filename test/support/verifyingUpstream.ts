import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from './loopbackServer.js';
import { verifySigV4, type KnownCredentials } from './verifySigV4.js';

/** One request as the upstream saw it, with the verifier's verdict. */
export interface Arrival {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
  verdict: { ok: boolean; message?: string; accessKeyId?: string };
}

export interface VerifyingUpstreamOptions {
  /** `sigv4` checks signatures with aws4; `bearer` checks `Authorization` with `checkBearer`. */
  mode: 'sigv4' | 'bearer';
  region?: string;
  resolve?: (accessKeyId: string) => KnownCredentials | undefined;
  checkBearer?: (token: string) => boolean | Promise<boolean>;
}

/**
 * An API-Gateway-like upstream: verifies every request, records what arrived, answers 403 (sigv4)
 * or 401 (bearer) as API Gateway would, and otherwise echoes the request as JSON, or lets a test's
 * `respond` hook answer.
 */
export class VerifyingUpstream {
  readonly arrivals: Arrival[] = [];
  /** Answer a verified request yourself; return false to fall back to the echo. */
  respond: ((arrival: Arrival, res: ServerResponse) => boolean | Promise<boolean>) | undefined;
  url = '';
  /**
   * How far this gateway's clock is ahead of the machine's (negative: behind): signatures are
   * judged on it and its `Date` header tells it, as API Gateway's does.
   */
  clockOffsetMs = 0;
  /** TCP connections accepted so far. */
  connections = 0;
  readonly #options: VerifyingUpstreamOptions;
  #server: Server | undefined;

  constructor(options: VerifyingUpstreamOptions) {
    this.#options = options;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', () => this.connections++);
    this.url = await listenOnLoopback(this.#server);
    return this;
  }

  async stop(): Promise<void> {
    await closeNow(this.#server);
  }

  async #verify(req: IncomingMessage, body: Buffer): Promise<Arrival['verdict']> {
    if (this.#options.mode === 'bearer') {
      const token = req.headers.authorization;
      if (!token) return { ok: false, message: 'Unauthorized' };
      const ok = (await this.#options.checkBearer?.(token)) ?? false;
      return ok ? { ok } : { ok, message: 'Unauthorized' };
    }
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      { region: this.#options.region ?? 'eu-west-2', service: 'execute-api' },
      this.#options.resolve ?? (() => undefined),
      new Date(Date.now() + this.clockOffsetMs),
    );
    return verdict.ok
      ? { ok: true, accessKeyId: verdict.accessKeyId }
      : { ok: false, message: verdict.message };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const verdict = await this.#verify(req, body);
    const arrival: Arrival = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
      verdict,
    };
    this.arrivals.push(arrival);
    if (!verdict.ok) {
      const status = this.#options.mode === 'bearer' ? 401 : 403;
      const text = JSON.stringify({ message: verdict.message });
      res.writeHead(status, {
        // The gateway's clock, as API Gateway tells it.
        date: new Date(Date.now() + this.clockOffsetMs).toUTCString(),
        'content-type': 'application/json',
        'x-amzn-errortype': status === 403 ? 'ForbiddenException' : 'UnauthorizedException',
      });
      res.end(text);
      return;
    }
    if (this.respond && (await this.respond(arrival, res))) return;
    const echo = JSON.stringify({
      verified: true,
      auth: this.#options.mode,
      ...(verdict.accessKeyId ? { accessKeyId: verdict.accessKeyId } : {}),
      method: arrival.method,
      url: arrival.url,
      bodyBytes: body.length,
      bodySha256: (await import('node:crypto')).createHash('sha256').update(body).digest('hex'),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(echo);
  }
}
