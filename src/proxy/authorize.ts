import { operatorNextStep } from '../http/index.js';
import { SessionUnavailableError } from '../session/index.js';
import type { Authorizer } from './authorizers.js';
import type { Authorization, Pass, ProxyContext } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * Run an authorization; no usable session becomes 503 `no_session` with Retry-After, and, when
 * only an operator can help, the admin route that does.
 */
export async function withSession(call: () => Promise<Authorization>): Promise<Authorization> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof SessionUnavailableError)) throw err;
    const next = operatorNextStep[err.state];
    const message = next ? `${err.message} (${next} on the admin listener)` : err.message;
    throw new ProxyError(503, 'no_session', message, { 'retry-after': String(err.retryAfterS) });
  }
}

/** Authorize the request with the session's credentials or token (flow step 7-8). */
export function authorize(authorizer: Authorizer): Pass {
  return async (ctx: ProxyContext) => {
    ctx.authorization = await withSession(() => authorizer.authorize(ctx));
  };
}
