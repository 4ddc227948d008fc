import { createHash } from 'node:crypto';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';
import { clientGone } from './watchClientAbort.js';

/**
 * Buffer the request body up to `maxBytes` (chunked bodies too), as the chunks it arrived in,
 * hashed as they arrive (so the signature does not wait for a pass over the whole body).
 * Over the limit: 413, and the upstream sees nothing; a declared Content-Length over the limit
 * is refused before reading. An upload that stalls for `idleMs` is dropped with 408. A request
 * that declares no body is not read at all.
 */
export function readBody(maxBytes: number, idleMs: number): Pass {
  return (ctx) => {
    const { headers } = ctx.req;
    const declared = headers['content-length'];
    if (headers['transfer-encoding'] === undefined && (declared === undefined || declared === '0'))
      return;
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes);
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
