import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize } from './authorize.js';
import type { Authorizer } from './authorizers.js';
import { checkClientToken } from './checkClientToken.js';
import { lingeringClose } from '../http/index.js';
import { BodyBudget } from './bodyBudget.js';
import { closeTurns, takeTurn } from './connectionTurns.js';
import { createContext, type Pass, type ProxyContext } from './context.js';
import { pickSession, type SessionChoice } from './pickSession.js';
import { ProxyError, sendError } from './ProxyError.js';
import { readBody } from './readBody.js';
import { loopbackOnly, refuseBrowsers, type BrowserGuard } from './refuseBrowsers.js';
import { rejectNonOriginForm } from './rejectNonOriginForm.js';
import { replayOnce } from './replayOnce.js';
import { requestIdFor } from './requestId.js';
import { send, type Upstream } from './send.js';
import { streamBack } from './streamBack.js';
import { upstreamHeaders } from './upstreamHeaders.js';
import { upstreamTarget } from './upstreamTarget.js';
import { watchClientAbort, type ClientWatch } from './watchClientAbort.js';

/** What the handler reports about each request when it is done: no secret, by construction. */
export interface RequestRecord {
  requestId: string;
  method: string;
  path: string;
  status: number;
  upstreamStatus: number | undefined;
  latencyMs: number;
  replayed: boolean;
  bytesIn: number;
  /** Per-client mode: the Scribe username the request came with. */
  user?: string;
  error?: string;
  /** Seconds the proxy's clock is behind the upstream's, when it refused a signature as expired. */
  clockSkewS?: number;
}

export interface ProxyOptions {
  upstream: Upstream;
  authorizer: Authorizer;
  /** The shared session, or the per-client cache. */
  sessions: SessionChoice;
  maxBodyBytes: number;
  /** All request bodies held at once (PROXY_MAX_BUFFERED_BYTES); past it, 503 `overloaded`. */
  maxBufferedBytes: number;
  /** Told of each request refused because the bodies held at once left no room for its body. */
  onOverloaded?: () => void;
  /** Longest pause in a client's upload before it is dropped with 408. */
  bodyIdleTimeoutMs: number;
  clientToken: string | undefined;
  /** Which browser requests and Host names are refused (default: loopback names only). */
  browserGuard?: BrowserGuard;
  onDone?: (record: RequestRecord) => void;
  /** Called with what went wrong when a request ends in 500 (a bug), for the log. */
  onInternalError?: (err: unknown, requestId: string) => void;
}

/** The proxy's request handler, and a way to cut what is still running at shutdown. */
export interface ProxyHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Cut every request still in flight (after the shutdown grace): 503 or a broken stream. */
  cutInFlight(): void;
}

const cutByShutdown = () =>
  new ProxyError(503, 'shutting_down', 'the proxy is shutting down; retry', {
    connection: 'close',
    'retry-after': '1',
  });

/**
 * The proxy pipeline (DESIGN.md, "The flow of one proxied request"): the client-abort watch and
 * the connection's turn come first, then these passes, in this order.
 */
export function createProxyHandler(options: ProxyOptions): ProxyHandler {
  const budget = new BodyBudget(options.maxBufferedBytes, options.onOverloaded);
  const passes: Pass[] = [
    rejectNonOriginForm,
    refuseBrowsers(options.browserGuard ?? loopbackOnly),
    checkClientToken(options.clientToken, options.sessions.kind),
    pickSession(options.sessions),
    upstreamTarget(options.upstream.url),
    readBody(options.maxBodyBytes, options.bodyIdleTimeoutMs, budget),
    upstreamHeaders,
    authorize(options.authorizer, { operatorHints: options.sessions.kind === 'shared' }),
    send(options.upstream),
    replayOnce(options.authorizer, options.upstream),
    streamBack,
  ];
  const inFlight = new Set<ClientWatch>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const turn = takeTurn(req.socket, req.method ?? 'GET');
    if (!turn) {
      // Pipelined behind an answer that closes the connection: never handled, body dropped.
      req.resume();
      return;
    }
    const client = watchClientAbort(res);
    inFlight.add(client);
    const requestId = requestIdFor(req.headers['x-request-id']);
    const ctx = createContext(req, res, client, requestId, originPath(req.url));
    let error: ProxyError | undefined;
    try {
      if (turn.ready) await turn.ready;
      for (const pass of passes) {
        if (client.aborted) throw client.reason;
        const pending = pass(ctx);
        if (pending) await pending;
      }
      if (client.aborted) throw client.reason;
    } catch (err) {
      if (!(err instanceof ProxyError)) options.onInternalError?.(err, ctx.requestId);
      error = err instanceof ProxyError ? err : internalError();
      answer(ctx, error);
    } finally {
      inFlight.delete(client);
      turn.release();
      if (ctx.bodyHeld !== 0) budget.giveBack(ctx.bodyHeld);
      // An answer the request ended without taking to its end must not keep its connection.
      const upstream = ctx.upstreamResponse;
      if (upstream && !upstream.complete && !upstream.error) upstream.abort(abandoned());
    }
    options.onDone?.(record(ctx, error));
  };

  return Object.assign(handle, {
    cutInFlight() {
      for (const client of inFlight) client.abort(cutByShutdown());
    },
  });
}

/** The path of an origin-form target, for the log (never an absolute-form URL's credentials). */
function originPath(target: string | undefined): string {
  if (!target?.startsWith('/')) return '';
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

const abandoned = () => new Error('the request ended before the upstream answer was taken');

const internalError = () =>
  new ProxyError(500, 'internal_error', 'the proxy failed to handle this request');

/** Answer a request the proxy refuses or cannot complete: the JSON error, or a cut. */
function answer(ctx: ProxyContext, error: ProxyError): void {
  const { req, res } = ctx;
  if (error.status === 499) {
    res.destroy();
    return;
  }
  sendError(res, error, ctx.requestId);
  if (error.headers['connection'] === 'close') {
    // An oversized, unwelcome or stalled upload: nothing after it on this connection runs, and
    // the client may still be sending; the socket closes once the answer is out and read.
    closeTurns(req.socket);
    res.once('finish', () => lingeringClose(req));
  }
}

function record(ctx: ProxyContext, error: ProxyError | undefined): RequestRecord {
  const { req, res } = ctx;
  const status =
    error && (error.status === 499 || !res.headersSent) ? error.status : res.statusCode;
  const code = error?.code ?? (ctx.client.aborted ? 'client_closed' : ctx.brokenBy);
  const done: RequestRecord = {
    requestId: ctx.requestId,
    method: req.method ?? '',
    path: ctx.clientPath,
    status: ctx.client.aborted && !error ? 499 : status,
    upstreamStatus: ctx.upstreamStatus,
    latencyMs: Math.round((performance.now() - ctx.startedAt) * 10) / 10,
    replayed: ctx.replayed,
    bytesIn: ctx.bodyLength,
  };
  // Set only when present (no object spread per field on every request).
  if (ctx.user !== undefined) done.user = ctx.user;
  if (code) done.error = code;
  if (ctx.clockSkewS !== undefined) done.clockSkewS = ctx.clockSkewS;
  return done;
}
