import { withSession } from './authorize.js';
import type { Authorizer } from './authorizers.js';
import type { Pass, ProxyContext } from './context.js';
import { ProxyError } from './ProxyError.js';
import { sendUpstream, type Upstream } from './send.js';
import type { UpstreamAnswer } from './upstreamAnswer.js';

const maxRejectionBody = 64 * 1024;

/** Read a rejection body to judge it, up to a limit; `complete` is false past the limit. */
function readRejection(answer: UpstreamAnswer): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (complete: boolean) => {
      done = true;
      resolve({ body: Buffer.concat(chunks), complete });
    };
    answer.pipeTo({
      // Past the limit the sink takes no more: the rest stays with the answer, for streamBack.
      data: (chunk) => {
        chunks.push(chunk);
        total += chunk.length;
        if (total <= maxRejectionBody) return true;
        finish(false);
        return false;
      },
      end: () => {
        if (!done) finish(true);
      },
      fail: () => {
        if (done) return;
        done = true;
        reject(new ProxyError(502, 'upstream_unreachable', 'the upstream broke off its answer'));
      },
    });
  });
}

/**
 * Send again at most once, only for a rejection made before any backend saw the request and that
 * the proxy can cure (flow step 10): a stale token (refresh, then replay), or clock skew (sign
 * again on the gateway's clock). The body was buffered, so sending it again is safe.
 */
export function replayOnce(authorizer: Authorizer, upstream: Upstream): Pass {
  const judgeAndReplay = async (ctx: ProxyContext, res: UpstreamAnswer) => {
    const rejection = await readRejection(res);
    ctx.rejection = rejection;
    if (!rejection.complete) return;
    const verdict = authorizer.judge(res, rejection.body);
    if (verdict.kind === 'final') return;
    if (verdict.kind === 'clock-skew') {
      ctx.clockSkewS =
        verdict.offsetMs === undefined ? Number.NaN : Math.round(verdict.offsetMs / 1000);
      if (verdict.offsetMs === undefined) return;
    }
    const rejected = ctx.authorization;
    if (!rejected) return;
    const replacement = await withSession(() => authorizer.reauthorize(ctx, rejected, verdict));
    // The session kept what was refused (too young to be stale): the rejection goes back as is.
    // A clock-skew verdict re-signs the same credentials on the corrected clock.
    if (verdict.kind !== 'clock-skew' && replacement.used === rejected.used) return;
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
