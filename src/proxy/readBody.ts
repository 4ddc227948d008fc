import { createHash } from 'node:crypto';
import type { BodyBudget } from './bodyBudget.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';
import { clientGone } from './watchClientAbort.js';

/** Node's own test of an Expect header asking for `100 Continue`. */
const continueExpected = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * Buffer the request body up to `maxBytes` (chunked bodies too), as the chunks it arrived in,
 * hashed as they arrive (so the signature does not wait for a pass over the whole body).
 * Over the limit: 413, and the upstream sees nothing; a declared Content-Length over the limit
 * is refused before reading. The body takes its bytes from the process-wide `budget` first (a
 * declared length before reading, a chunked body as it arrives): no room, 503 `overloaded`; the
 * pipeline gives them back when the request ends (`ctx.bodyHeld`). `100 Continue` is sent only
 * here, once the body is wanted, so a client that asked for it is refused before it uploads.
 * An upload that stalls for `idleMs` is dropped with 408. A request that declares no body is not
 * read at all.
 */
export function readBody(maxBytes: number, idleMs: number, budget: BodyBudget): Pass {
  return (ctx) => {
    const { headers } = ctx.req;
    const declared = headers['content-length'];
    const chunked = declared === undefined;
    const coding = headers['transfer-encoding'];
    if (coding === undefined && (chunked || declared === '0')) return;
    const codings = coding?.split(',').map((c) => c.trim().toLowerCase());
    // Node undoes only chunked: with another coding before it (`gzip, chunked`), gzip's bytes
    // would go upstream, signed, as if they were the body (RFC 9112 6.1: 501). A coding list
    // not ending in chunked (`xchunked`) has no findable end: Node's parser refuses it with 400
    // as it reads on (RFC 9112 6.3), and that is the one answer the connection gets.
    if (
      coding !== undefined &&
      codings !== undefined &&
      codings.length > 1 &&
      codings.at(-1) === 'chunked'
    ) {
      throw new ProxyError(
        501,
        'transfer_coding_unsupported',
        `the proxy undoes only the chunked transfer coding, not "${coding.slice(0, 64)}"; send the body chunked or with a Content-Length`,
        { connection: 'close' },
      );
    }
    if (!chunked) {
      const length = Number(declared);
      if (length > maxBytes) throw tooLarge(maxBytes);
      if (!budget.take(length)) throw overloaded();
      ctx.bodyHeld = length;
    }
    if (headers.expect !== undefined && continueExpected.test(headers.expect)) {
      ctx.res.writeContinue();
    }
    return new Promise<void>((resolve, reject) => {
      const req = ctx.req;
      const chunks: Buffer[] = [];
      const hash = createHash('sha256');
      let total = 0;
      const fail = (err: unknown) => {
        cleanup();
        reject(err);
      };
      const onData = (chunk: Buffer) => {
        timer.refresh();
        total += chunk.length;
        if (total > maxBytes) return fail(tooLarge(maxBytes));
        if (chunked) {
          if (!budget.take(chunk.length)) return fail(overloaded());
          ctx.bodyHeld += chunk.length;
        }
        chunks.push(chunk);
        hash.update(chunk);
      };
      const onEnd = () => {
        cleanup();
        ctx.body = chunks;
        ctx.bodyLength = total;
        ctx.payloadHash = hash.digest('hex');
        resolve();
      };
      const onAbort = (reason: unknown) => fail(reason ?? clientGone());
      const onError = () => fail(clientGone());
      const cleanup = () => {
        clearTimeout(timer);
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        ctx.client.offAbort(onAbort);
      };
      const timer = setTimeout(
        () =>
          fail(
            new ProxyError(
              408,
              'request_timeout',
              `the request body stalled for ${idleMs} ms; send it without pauses`,
              { connection: 'close' },
            ),
          ),
        idleMs,
      );
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      ctx.client.onAbort(onAbort);
      if (ctx.client.aborted) onAbort(ctx.client.reason);
    });
  };
}

function tooLarge(maxBytes: number): ProxyError {
  return new ProxyError(
    413,
    'body_too_large',
    `the request body is larger than the limit of ${maxBytes} bytes (PROXY_MAX_BODY_BYTES)`,
    { connection: 'close' },
  );
}

function overloaded(): ProxyError {
  return new ProxyError(
    503,
    'overloaded',
    'the proxy holds as many request bodies as it may at once (PROXY_MAX_BUFFERED_BYTES); retry shortly',
    { connection: 'close', 'retry-after': '1' },
  );
}
