import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { egressAgent, egressProxyFor, type EgressProxy } from '../http/index.js';
import type { Pass, ProxyContext } from './context.js';
import { answeredEarly, keepReadingAfterWriteFailure } from './earlyAnswer.js';
import { ProxyError } from './ProxyError.js';

/** Where and how requests go upstream. */
export interface Upstream {
  url: URL;
  /** The URL's host name without IPv6 brackets, as http.request wants it. */
  hostname: string;
  /** Longest wait for the response headers. */
  timeoutMs: number;
  /** Longest silence from the upstream once its response started. */
  idleTimeoutMs: number;
  agent: HttpAgent;
  /**
   * A connection of its own for a retry after the keep-alive race: `false` (a new socket) when
   * calls go direct, a one-off agent when they go through an egress proxy.
   */
  freshAgent?: () => HttpAgent | false;
  /** Called with the time to response headers, for metrics. */
  observeLatency?: (seconds: number, status: number) => void;
}

/** The host name of an upstream URL as http.request wants it (IPv6 without brackets). */
export function upstreamHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * A keep-alive agent for the upstream, through the egress proxy when one applies to it. Every
 * socket it may open it may also keep: a smaller free pool closes sockets after each burst only to
 * open (and TLS-handshake) them again. Idle sockets close after 60 s.
 */
export function upstreamAgent(url: URL, egress: EgressProxy = noEgress): HttpAgent {
  const sockets = 256;
  return egressAgent(url, egress, {
    keepAlive: true,
    maxSockets: sockets,
    maxFreeSockets: sockets,
    timeout: 60_000,
  });
}

/** The fresh-connection agent for upstreamAgent's retry (see Upstream.freshAgent). */
export function freshUpstreamAgent(
  url: URL,
  egress: EgressProxy = noEgress,
): () => HttpAgent | false {
  if (!egressProxyFor(url, egress)) return () => false;
  return () => egressAgent(url, egress, { keepAlive: false });
}

const noEgress: EgressProxy = { httpsProxy: undefined, httpProxy: undefined, noProxy: undefined };

/** A pooled connection that the upstream had closed failed before any answer came back. */
class ClosedConnectionError extends Error {}

const unreachable = () =>
  new ProxyError(
    502,
    'upstream_unreachable',
    'the upstream could not be reached or closed the connection',
  );

/**
 * Send once; resolve with the upstream response once its headers arrive. `fresh` sends on a new
 * connection of its own instead of one from the pool. The client leaving (the signal) destroys
 * the upstream request at any point, also mid-response.
 */
function sendOnce(ctx: ProxyContext, upstream: Upstream, fresh: boolean): Promise<IncomingMessage> {
  const { url, hostname } = upstream;
  const path = ctx.canonicalQuery ? `${ctx.upstreamPath}?${ctx.canonicalQuery}` : ctx.upstreamPath;
  const doRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = doRequest({
      protocol: url.protocol,
      hostname,
      port: url.port || undefined,
      method: ctx.req.method,
      path,
      agent: fresh ? (upstream.freshAgent?.() ?? false) : upstream.agent,
      headers: { ...ctx.headers, ...ctx.authorization?.headers },
    });
    const timer = setTimeout(() => {
      const message = `the upstream did not answer within ${upstream.timeoutMs} ms`;
      req.destroy(new ProxyError(504, 'upstream_timeout', message));
    }, upstream.timeoutMs);
    const onAbort = (reason: unknown) => req.destroy(reason as Error);
    ctx.client.onAbort(onAbort);
    req.once('socket', keepReadingAfterWriteFailure);
    req.once('response', (res) => {
      clearTimeout(timer);
      if (answeredEarly(req)) req.shouldKeepAlive = false;
      upstream.observeLatency?.(
        Number(process.hrtime.bigint() - started) / 1e9,
        res.statusCode ?? 0,
      );
      // Mid-response, silence longer than the idle timeout cuts the stream.
      req.setTimeout(upstream.idleTimeoutMs, () => {
        ctx.brokenBy = 'upstream_idle_timeout';
        req.destroy();
      });
      res.once('close', () => ctx.client.offAbort(onAbort));
      resolve(res);
    });
    // Once answered, a later error (the reset after an early answer) only breaks the response.
    req.on('error', (err) => {
      clearTimeout(timer);
      ctx.client.offAbort(onAbort);
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof ProxyError) reject(err);
      else if (req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE'))
        reject(new ClosedConnectionError());
      else reject(unreachable());
    });
    // Content-Length is already set (upstreamHeaders). A body goes out corked, headers and chunks
    // in one writev; without one, the headers are a single write.
    if (ctx.body.length === 0) {
      req.end();
      return;
    }
    req.cork();
    for (const chunk of ctx.body) req.write(chunk);
    req.end();
  });
}

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Send, and when a pooled connection turns out to have been closed by the upstream (the
 * keep-alive race: it closed an idle connection just as the proxy reused it), send again once on
 * a fresh connection, but only a request that may safely arrive twice: an idempotent method
 * (RFC 9110) or one that carries an Idempotency-Key. Anything else is a 502, never a duplicate.
 */
export function sendUpstream(ctx: ProxyContext, upstream: Upstream): Promise<IncomingMessage> {
  return sendOnce(ctx, upstream, false).catch((err: unknown) => retryOnce(ctx, upstream, err));
}

/** After a failed first send: the one retry on a fresh connection, when it is allowed. */
function retryOnce(ctx: ProxyContext, upstream: Upstream, err: unknown): Promise<IncomingMessage> {
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
      (res) => {
        ctx.upstreamResponse = res;
      },
      (err: unknown) =>
        retryOnce(ctx, upstream, err).then((res) => {
          ctx.upstreamResponse = res;
        }),
    );
}
