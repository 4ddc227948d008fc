import type { Pass, ProxyContext } from './context.js';
import type { UpstreamAnswer } from './upstreamAnswer.js';
import { connectionListed, hopByHop } from './upstreamHeaders.js';

/** Upstream response headers as a flat [name, value, ...] list, less hop-by-hop ones. */
function responseHeaders(answer: UpstreamAnswer, requestId: string): string[] {
  const raw = answer.rawHeaders;
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
 * Stream the rest of the body to the client, with backpressure. If either side breaks off, the
 * other is stopped: a client never sees a complete-looking response that was cut.
 */
function pipeBody(ctx: ProxyContext, answer: UpstreamAnswer): Promise<void> {
  const to = ctx.res;
  return new Promise((resolve) => {
    const onDrain = () => answer.resume();
    // A client that leaves mid-answer stops the exchange through the request's abort watch
    // (send.ts), and the pipeline drops any answer left unfinished: here, only the wait ends.
    const onClose = () => {
      to.off('drain', onDrain);
      resolve();
    };
    to.on('drain', onDrain);
    to.once('close', onClose);
    answer.pipeTo({
      data: (chunk) => to.write(chunk),
      end: () => to.end(),
      fail: (err) => {
        // Why it broke off, for the log: the upstream's silence, or its break.
        if ((err as NodeJS.ErrnoException).code === 'UND_ERR_BODY_TIMEOUT') {
          ctx.brokenBy ??= 'upstream_idle_timeout';
        } else {
          ctx.brokenBy ??= 'upstream_broken';
        }
        to.off('close', onClose);
        to.off('drain', onDrain);
        to.destroy();
        // Done now: the request is the upstream's break, not a client that left.
        resolve();
      },
    });
  });
}

/** Resolves once the client's response is closed (sent, or the client left). */
function responseClosed(ctx: ProxyContext): Promise<void> | undefined {
  const to = ctx.res;
  if (to.closed) return;
  return new Promise((resolve) => to.once('close', resolve));
}

/** Stream the upstream's answer back as it arrives: status, headers, body (flow step 9). */
export const streamBack: Pass = (ctx) => {
  const answer = ctx.upstreamResponse;
  if (!answer) return;
  ctx.upstreamStatus = answer.statusCode;
  ctx.res.writeHead(
    answer.statusCode,
    answer.statusMessage,
    responseHeaders(answer, ctx.requestId),
  );
  const rejection = ctx.rejection;
  if (rejection?.complete) {
    ctx.res.end(rejection.body);
    return;
  }
  if (rejection) ctx.res.write(rejection.body);
  else if (answer.complete) {
    // The whole answer already arrived (a small response, in the packet with its headers): send
    // it in one go; done when the client's response is.
    const held = answer.takeHeld();
    ctx.res.end(held.length === 1 ? held[0] : Buffer.concat(held));
    return responseClosed(ctx);
  }
  return pipeBody(ctx, answer);
};
