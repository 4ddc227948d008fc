import type { Dispatcher } from 'undici';
import { upstreamDispatcher, type EgressProxy, type UpstreamDispatcher } from '../http/index.js';
import { hostHeaderOf } from '../signing/index.js';
import type { Pass, ProxyContext } from './context.js';
import { connectionWasUsed, markConnectionErrors } from './connectionReuse.js';
import { keepReadingAfterWriteFailure } from './earlyAnswer.js';
import { ProxyError } from './ProxyError.js';
import { UpstreamAnswer } from './upstreamAnswer.js';

/** Where and how requests go upstream. */
export interface Upstream {
  url: URL;
  /** The Host header the upstream is sent (with its port when not the default). */
  host: string;
  /** Longest wait for a connection and then for the response headers. */
  timeoutMs: number;
  /** Longest silence from the upstream once its response started. */
  idleTimeoutMs: number;
  /** The keep-alive pool, direct or through the egress proxy (upstreamConnections). */
  connections: UpstreamDispatcher;
  /** Called with the time to response headers, for metrics. */
  observeLatency?: (seconds: number, status: number) => void;
}

const noEgress: EgressProxy = { httpsProxy: undefined, httpProxy: undefined, noProxy: undefined };

/**
 * The upstream of `url`, its connections through the egress proxy when one applies. Every
 * connection the pool may open it may also keep: a smaller free pool closes connections after
 * each burst only to open (and TLS-handshake) them again. Idle connections close after 60 s.
 * An upstream that answers before taking the whole body keeps its connection readable
 * (earlyAnswer.ts), so that answer is relayed.
 */
export async function upstreamOf(
  url: URL,
  timeouts: { timeoutMs: number; idleTimeoutMs: number },
  egress: EgressProxy = noEgress,
): Promise<Upstream> {
  return {
    url,
    host: hostHeaderOf(url),
    ...timeouts,
    connections: await upstreamDispatcher(url, egress, {
      connections: 256,
      keepAliveMs: 60_000,
      connectTimeoutMs: timeouts.timeoutMs,
      onSocket: (socket) => {
        keepReadingAfterWriteFailure(socket);
        markConnectionErrors(socket);
      },
    }),
  };
}

/** A pooled connection that the upstream had closed failed before any answer came back. */
class ClosedConnectionError extends Error {}

const unreachable = () =>
  new ProxyError(
    502,
    'upstream_unreachable',
    'the upstream could not be reached or closed the connection',
  );

/**
 * The keep-alive race: a connection that had carried an answer before was closed (FIN or reset)
 * under the request before any answer. Not an answer the upstream began and broke off (undici's
 * "bad upgrade", a 101 to a plain request, is no race either), nor a fresh connection's reset.
 */
function closedUnder(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  const closed =
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    (code === 'UND_ERR_SOCKET' && /^(other side closed|closed)$/.test(err.message));
  return closed && connectionWasUsed(err);
}

const timedOut = (upstream: Upstream) =>
  new ProxyError(
    504,
    'upstream_timeout',
    `the upstream did not answer within ${upstream.timeoutMs} ms`,
  );

/** What went wrong before the answer's headers, as the client is told. */
function failure(err: Error, upstream: Upstream): Error {
  if (err instanceof ProxyError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return timedOut(upstream);
  return closedUnder(err) ? new ClosedConnectionError() : unreachable();
}

/**
 * A buffered body as undici takes it: its chunks in turn (undici writes any iterable body chunk
 * by chunk, with backpressure; its types name only streams). Written that way, an answer that
 * comes before the whole body is recognised as early and its connection is never reused.
 */
function bodyOf(chunks: readonly Buffer[]): Dispatcher.DispatchOptions['body'] {
  return chunks.length === 0 ? null : (chunks as unknown as Dispatcher.DispatchOptions['body']);
}

/**
 * Send once; resolve with the upstream's answer once its headers arrive. `fresh` sends on a new
 * connection of its own instead of one from the pool. The client leaving (its watch) stops the
 * exchange at any point, also mid-response.
 */
function sendOnce(ctx: ProxyContext, upstream: Upstream, fresh: boolean): Promise<UpstreamAnswer> {
  const connections = upstream.connections;
  const query = ctx.canonicalQuery ? `?${ctx.canonicalQuery}` : '';
  const path = (connections.absoluteOrigin ?? '') + ctx.upstreamPath + query;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {
      host: upstream.host,
      ...ctx.headers,
      ...ctx.authorization?.headers,
    };
    if (connections.proxyAuthorization)
      headers['proxy-authorization'] = connections.proxyAuthorization;
    const onAbort = (reason: unknown) => answer.abort(reason as Error);
    // The whole wait for the headers, the connection (and its TLS handshake) included: undici
    // times those two apart.
    const timer = setTimeout(() => answer.abort(timedOut(upstream)), upstream.timeoutMs);
    const answer = new UpstreamAnswer(
      (answered) => {
        clearTimeout(timer);
        upstream.observeLatency?.((performance.now() - started) / 1000, answered.statusCode);
        resolve(answered);
      },
      (err) => {
        clearTimeout(timer);
        reject(failure(err, upstream));
      },
      // Once the exchange is over, nothing of it stays with the request's abort watch: kept
      // there, every answer outlived two of V8's young-generation collections and went to the
      // old one (3.8 KB a request, about 10 µs of collection per request under load).
      () => ctx.client.offAbort(onAbort),
    );
    ctx.client.onAbort(onAbort);
    const via = fresh ? connections.fresh() : connections.pool;
    via.dispatch(
      {
        origin: connections.origin,
        method: ctx.req.method ?? 'GET',
        path,
        headers,
        body: bodyOf(ctx.body),
        // The headers are timed by the attempt's own timer above (from dispatch on): undici's
        // would be a second timer per request.
        headersTimeout: 0,
        bodyTimeout: upstream.idleTimeoutMs,
      },
      answer,
    );
    // A connection of its own closes once its one exchange is over.
    if (fresh) via.close().catch(() => {});
  });
}

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Send, and when a pooled connection turns out to have been closed by the upstream (the
 * keep-alive race: it closed an idle connection just as the proxy reused it), send again once on
 * a fresh connection, but only a request that may safely arrive twice: an idempotent method
 * (RFC 9110) or one that carries an Idempotency-Key. Anything else is a 502, never a duplicate.
 */
export function sendUpstream(ctx: ProxyContext, upstream: Upstream): Promise<UpstreamAnswer> {
  return sendOnce(ctx, upstream, false).catch((err: unknown) => retryOnce(ctx, upstream, err));
}

/** After a failed first send: the one retry on a fresh connection, when it is allowed. */
function retryOnce(ctx: ProxyContext, upstream: Upstream, err: unknown): Promise<UpstreamAnswer> {
  if (!(err instanceof ClosedConnectionError)) throw err;
  const method = ctx.req.method ?? 'GET';
  if (idempotentMethods.has(method) || ctx.req.headers['idempotency-key'] !== undefined) {
    return sendOnce(ctx, upstream, true).catch((again: unknown) => {
      throw again instanceof ClosedConnectionError ? unreachable() : again;
    });
  }
  throw new ProxyError(
    502,
    'upstream_unreachable',
    'the upstream closed the connection before answering; the request was not retried because it may not be safe to send twice (an Idempotency-Key header allows it)',
  );
}

/**
 * Send the request upstream (flow step 9). One promise beyond the send's own on the common path:
 * no async wrappers around it.
 */
export function send(upstream: Upstream): Pass {
  return (ctx) =>
    sendOnce(ctx, upstream, false).then(
      (answer) => {
        ctx.upstreamResponse = answer;
      },
      (err: unknown) =>
        retryOnce(ctx, upstream, err).then((answer) => {
          ctx.upstreamResponse = answer;
        }),
    );
}
