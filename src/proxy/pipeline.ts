import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authorizer } from './authorizers.js';
import { checkClientToken } from './checkClientToken.js';
import type { Pass, ProxyContext } from './context.js';
import { forward, type Upstream } from './forward.js';
import { ProxyError, sendError } from './ProxyError.js';
import { readBody } from './readBody.js';
import { rejectNonOriginForm } from './rejectNonOriginForm.js';
import { upstreamHeaders } from './upstreamHeaders.js';
import { upstreamTarget } from './upstreamTarget.js';

/** What the handler reports about each request when it is done. */
export interface RequestRecord {
  requestId: string;
  method: string;
  path: string;
  status: number;
  upstreamStatus: number | undefined;
  latencyMs: number;
  replayed: boolean;
  bytesIn: number;
  error?: string;
}

export interface ProxyOptions {
  upstream: Upstream;
  authorizer: Authorizer;
  maxBodyBytes: number;
  clientToken: string | undefined;
  onDone?: (record: RequestRecord) => void;
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * The proxy pipeline: the passes run in this order, then the request is authorised, forwarded
 * and its answer streamed back. (DESIGN.md, "The flow of one proxied request".)
 */
export function createProxyHandler(options: ProxyOptions) {
  const passes: Pass[] = [
    rejectNonOriginForm,
    checkClientToken(options.clientToken),
    upstreamTarget(options.upstream.url),
    readBody(options.maxBodyBytes),
    upstreamHeaders,
  ];

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const incomingId = req.headers['x-request-id'];
    const ctx: ProxyContext = {
      req,
      res,
      requestId:
        typeof incomingId === 'string' && requestIdPattern.test(incomingId)
          ? incomingId
          : randomUUID(),
      startedAt: performance.now(),
      clientPath: (req.url ?? '').split('?')[0] ?? '',
      body: [],
      bodyLength: 0,
      upstreamPath: '',
      query: {},
      canonicalQuery: '',
      headers: {},
      replayed: false,
      aborted: false,
    };
    let error: string | undefined;
    try {
      for (const pass of passes) await pass(ctx);
      await forward(ctx, options.upstream, options.authorizer);
    } catch (err) {
      const proxyError =
        err instanceof ProxyError
          ? err
          : new ProxyError(500, 'internal_error', 'the proxy failed to handle this request');
      error = err instanceof ProxyError ? err.code : (err as Error)?.message;
      if (!ctx.aborted && proxyError.status !== 499) sendError(res, proxyError, ctx.requestId);
      else res.destroy();
      if (proxyError.headers['connection'] === 'close') {
        // Stop reading an oversized upload; the socket closes once the 413 is out.
        res.once('finish', () => req.destroy());
      }
    }
    options.onDone?.({
      requestId: ctx.requestId,
      method: req.method ?? '',
      path: ctx.clientPath,
      status: ctx.aborted ? 499 : res.statusCode,
      upstreamStatus: ctx.upstreamStatus,
      latencyMs: Math.round((performance.now() - ctx.startedAt) * 10) / 10,
      replayed: ctx.replayed,
      bytesIn: ctx.bodyLength,
      ...(error ? { error } : {}),
    });
  };
}
