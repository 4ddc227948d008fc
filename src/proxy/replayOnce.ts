import type { IncomingMessage } from 'node:http';
import { withSession } from './authorize.js';
import type { Authorizer } from './authorizers.js';
import type { Pass, ProxyContext } from './context.js';
import { ProxyError } from './ProxyError.js';
import { sendUpstream, type Upstream } from './send.js';

const maxRejectionBody = 64 * 1024;

/** Read a rejection body to judge it, up to a limit; `complete` is false past the limit. */
function readRejection(res: IncomingMessage): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (complete: boolean) => {
      res.off('data', onData);
      res.off('end', onEnd);
      res.off('error', onError);
      res.off('close', onClose);
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
    const onError = () =>
      reject(new ProxyError(502, 'upstream_unreachable', 'the upstream broke off its answer'));
    const onClose = () => {
      if (!res.complete) onError();
    };
    res.on('data', onData);
    res.once('end', onEnd);
    res.once('error', onError);
    res.once('close', onClose);
  });
}

/**
 * Replay once, only for a rejection a refresh can cure (flow step 10). The body was buffered and
 * the gateway refused the request before any backend saw it, so sending it again is safe. Clock
 * skew ("Signature expired") is never replayed: it is noted for the log instead.
 */
export function replayOnce(authorizer: Authorizer, upstream: Upstream): Pass {
  const judgeAndReplay = async (ctx: ProxyContext, res: IncomingMessage) => {
    const rejection = await readRejection(res);
    ctx.rejection = rejection;
    if (!rejection.complete) return;
    const verdict = authorizer.judge(res, rejection.body);
    if (verdict.kind === 'clock-skew') {
      ctx.clockSkewS = verdict.skewS ?? Number.NaN;
      return;
    }
    if (verdict.kind !== 'replay') return;
    const rejected = ctx.authorization;
    if (!rejected) return;
    const replacement = await withSession(() => authorizer.reauthorize(ctx, rejected));
    // The session kept what was refused (too young to be stale): the rejection goes back as is.
    if (replacement.used === rejected.used) return;
    ctx.authorization = replacement;
    ctx.replayed = true;
    ctx.rejection = undefined;
    ctx.upstreamResponse = await sendUpstream(ctx, upstream);
  };
  return (ctx) => {
    const res = ctx.upstreamResponse;
    if (!res || res.statusCode !== authorizer.rejectionStatus || !ctx.authorization) return;
    return judgeAndReplay(ctx, res);
  };
}
