import type { IncomingMessage } from 'node:http';
import type { Pass, ProxyContext } from './context.js';
import { connectionListed, hopByHop } from './upstreamHeaders.js';

/** Upstream response headers as a flat [name, value, ...] list, less hop-by-hop ones. */
function responseHeaders(res: IncomingMessage, requestId: string): string[] {
  const raw = res.rawHeaders;
  let listed: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === 'connection') {
      listed = connectionListed(raw[i + 1]);
      break;
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || listed?.has(lower) || lower === 'x-request-id') continue;
    out.push(name, raw[i + 1] as string);
  }
  out.push('x-request-id', requestId);
  return out;
}

/**
 * Pipe the upstream body to the client, with backpressure. If either side breaks off, the other
 * is destroyed: a client never sees a complete-looking response that was cut. (Plain pipe:
 * stream/promises' pipeline costs an AbortController per request on the hot path.)
 */
function pipeBody(ctx: ProxyContext, from: IncomingMessage): Promise<void> {
  const to = ctx.res;
  return new Promise((resolve) => {
    const done = () => {
      from.off('error', onBroken);
      from.off('close', onFromClose);
      to.off('close', onClose);
      resolve();
    };
    const onBroken = () => {
      ctx.brokenBy ??= 'upstream_broken';
      to.destroy();
      done();
    };
    const onFromClose = () => {
      if (!from.complete) onBroken();
    };
    const onClose = () => {
      if (!from.complete) from.destroy();
      done();
    };
    from.once('error', onBroken);
    from.once('close', onFromClose);
    to.once('close', onClose);
    from.pipe(to);
  });
}

/** Stream the upstream's answer back as it arrives: status, headers, body (flow step 9). */
export const streamBack: Pass = (ctx) => {
  const res = ctx.upstreamResponse;
  if (!res) return;
  ctx.upstreamStatus = res.statusCode ?? 502;
  ctx.res.writeHead(ctx.upstreamStatus, res.statusMessage, responseHeaders(res, ctx.requestId));
  const rejection = ctx.rejection;
  if (rejection?.complete) {
    ctx.res.end(rejection.body);
    return;
  }
  if (rejection) ctx.res.write(rejection.body);
  else if (res.complete && res.readableFlowing === null && !res.destroyed) {
    // The whole answer already arrived (a small response, in the packet with its headers): send
    // it in one go, without a pipe's listeners; done when the client's response is.
    ctx.res.end(res.read() ?? undefined);
    return responseClosed(ctx);
  }
  return pipeBody(ctx, res);
};

/** Resolves once the client's response is closed (sent, or the client left). */
function responseClosed(ctx: ProxyContext): Promise<void> | undefined {
  const to = ctx.res;
  if (to.closed) return;
  return new Promise((resolve) => to.once('close', resolve));
}
