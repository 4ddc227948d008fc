import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * Buffer the request body up to `maxBytes` (chunked bodies too). Over the limit: 413, and the
 * upstream sees nothing. A declared Content-Length over the limit is refused before reading.
 */
export function readBody(maxBytes: number): Pass {
  return async (ctx) => {
    const declared = ctx.req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) {
      throw tooLarge(maxBytes);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      const req = ctx.req;
      const onData = (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          cleanup();
          reject(tooLarge(maxBytes));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        ctx.aborted = true;
        reject(new ProxyError(400, 'client_aborted', 'the client closed the request'));
      };
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onAbort);
        req.off('close', onClose);
      };
      const onClose = () => {
        if (!req.complete) onAbort();
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onAbort);
      req.on('close', onClose);
    });
    ctx.body = chunks;
    ctx.bodyLength = total;
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
