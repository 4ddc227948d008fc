import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SessionUnavailableError } from '../session/index.js';
import type { Authorizer } from './authorizers.js';
import type { ProxyContext } from './context.js';
import { ProxyError } from './ProxyError.js';
import { connectionListed, hopByHop } from './upstreamHeaders.js';

/** Where and how requests go upstream. */
export interface Upstream {
  url: URL;
  timeoutMs: number;
  agent: HttpAgent;
  /** Called with the time to response headers, for metrics. */
  observeLatency?: (seconds: number, status: number) => void;
}

/**
 * A keep-alive agent for the upstream's scheme. Every socket it may open it may also keep: a
 * smaller free pool closes sockets after each burst only to open (and TLS-handshake) them again.
 * Idle sockets close after 60 s.
 */
export function upstreamAgent(url: URL): HttpAgent {
  const sockets = 256;
  const options = {
    keepAlive: true,
    maxSockets: sockets,
    maxFreeSockets: sockets,
    timeout: 60_000,
  };
  return url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}

const maxRejectionBody = 64 * 1024;

/** A pooled connection that the upstream had closed failed before any answer came back. */
class ClosedConnectionError extends Error {}

/**
 * Send once; resolve with the upstream response once its headers arrive. `fresh` sends on a new
 * connection of its own instead of one from the pool.
 */
function send(
  ctx: ProxyContext,
  upstream: Upstream,
  authHeaders: Record<string, string>,
  fresh = false,
): Promise<IncomingMessage> {
  const { url } = upstream;
  const path = ctx.canonicalQuery ? `${ctx.upstreamPath}?${ctx.canonicalQuery}` : ctx.upstreamPath;
  const doRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = doRequest({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      method: ctx.req.method,
      path,
      agent: fresh ? false : upstream.agent,
      headers: { ...ctx.headers, ...authHeaders },
    });
    const timer = setTimeout(() => {
      req.destroy(
        new ProxyError(
          504,
          'upstream_timeout',
          `the upstream did not answer within ${upstream.timeoutMs} ms`,
        ),
      );
    }, upstream.timeoutMs);
    const onClientGone = () => {
      if (!ctx.res.writableFinished)
        req.destroy(new ProxyError(499, 'client_closed', 'the client went away'));
    };
    ctx.res.once('close', onClientGone);
    req.once('response', (res) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      upstream.observeLatency?.(seconds, res.statusCode ?? 0);
      res.once('close', () => ctx.res.off('close', onClientGone));
      resolve(res);
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      ctx.res.off('close', onClientGone);
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof ProxyError) reject(err);
      else if (req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE'))
        reject(new ClosedConnectionError());
      else
        reject(
          new ProxyError(
            502,
            'upstream_unreachable',
            'the upstream could not be reached or closed the connection',
          ),
        );
    });
    // Content-Length is already set (upstreamHeaders); corked, the chunks go out in one writev
    // (end() uncorks).
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
async function sendRetryingClosed(
  ctx: ProxyContext,
  upstream: Upstream,
  authHeaders: Record<string, string>,
): Promise<IncomingMessage> {
  try {
    return await send(ctx, upstream, authHeaders);
  } catch (err) {
    if (!(err instanceof ClosedConnectionError)) throw err;
    const method = ctx.req.method ?? 'GET';
    if (idempotentMethods.has(method) || ctx.req.headers['idempotency-key'] !== undefined) {
      return send(ctx, upstream, authHeaders, true);
    }
    throw new ProxyError(
      502,
      'upstream_unreachable',
      'the upstream closed the connection before answering; the request was not retried because it may not be safe to send twice (an Idempotency-Key header allows it)',
    );
  }
}

/** Read a rejection body to judge it, up to a limit; `complete` is false past the limit. */
function readRejection(res: IncomingMessage): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (complete: boolean) => {
      res.off('data', onData);
      res.off('end', onEnd);
      res.off('error', onError);
      resolve({ body: Buffer.concat(chunks), complete });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > maxRejectionBody) {
        res.pause();
        done(false);
      }
    };
    const onEnd = () => done(true);
    const onError = (err: Error) => reject(err);
    res.on('data', onData);
    res.once('end', onEnd);
    res.once('error', onError);
  });
}

/** Upstream response headers as a flat [name, value, ...] list, less hop-by-hop ones. */
function responseHeaders(res: IncomingMessage, requestId: string): string[] {
  const listed = connectionListed(res.headers.connection);
  const out: string[] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || listed.has(lower) || lower === 'x-request-id') continue;
    out.push(name, raw[i + 1] as string);
  }
  out.push('x-request-id', requestId);
  return out;
}

/** Run a session call; no usable session becomes 503 with Retry-After. */
async function withSession<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof SessionUnavailableError) {
      throw new ProxyError(503, 'no_session', err.message, {
        'retry-after': String(err.retryAfterS),
      });
    }
    throw err;
  }
}

/**
 * Authorise, send, and stream the answer back. A rejection that says the credentials went stale
 * (403 in sigv4, 401 in bearer) refreshes once and replays once: the body is buffered, and the
 * gateway refused it before any backend saw it.
 */
export async function forward(
  ctx: ProxyContext,
  upstream: Upstream,
  authorizer: Authorizer,
): Promise<void> {
  let res: IncomingMessage | undefined;
  let read: { body: Buffer; complete: boolean } | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const auth = await withSession(() => authorizer.authorize(ctx));
    if (ctx.aborted) return;
    res = await sendRetryingClosed(ctx, upstream, auth.headers);
    read = undefined;
    if (res.statusCode !== authorizer.rejectionStatus) break;
    read = await readRejection(res);
    if (
      attempt === 2 ||
      !read.complete ||
      !authorizer.isStaleRejection(res.statusCode, read.body)
    ) {
      break;
    }
    ctx.replayed = true;
    await withSession(() => authorizer.replace(auth.used));
  }
  if (!res) return;
  ctx.upstreamStatus = res.statusCode ?? 502;
  ctx.res.writeHead(ctx.upstreamStatus, res.statusMessage, responseHeaders(res, ctx.requestId));
  if (read?.complete) {
    ctx.res.end(read.body);
    return;
  }
  if (read) ctx.res.write(read.body);
  await streamBack(res, ctx.res);
}

/**
 * Pipe the upstream body to the client, with backpressure. If either side breaks off, the other
 * is destroyed: nothing more can be said to the client. (Plain pipe: stream/promises' pipeline
 * costs an AbortController per request on the hot path.)
 */
function streamBack(from: IncomingMessage, to: ProxyContext['res']): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      from.off('error', onError);
      to.off('close', onClose);
      resolve();
    };
    const onError = () => {
      to.destroy();
      done();
    };
    const onClose = () => {
      if (!from.complete) from.destroy();
      done();
    };
    from.once('error', onError);
    to.once('close', onClose);
    from.pipe(to);
  });
}
