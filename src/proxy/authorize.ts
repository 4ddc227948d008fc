import { operatorNextStep } from '../http/index.js';
import { SessionUnavailableError } from '../session/index.js';
import type { Authorizer } from './authorizers.js';
import type { Authorization, Pass, ProxyContext } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * No usable session: 503 `no_session` with Retry-After and, when only an operator can help the
 * shared session (`operatorHints`), the admin route that does.
 */
function noSession(err: unknown, operatorHints = true): never {
  if (!(err instanceof SessionUnavailableError)) throw err;
  const next = operatorHints ? operatorNextStep[err.state] : undefined;
  const message = next ? `${err.message} (${next} on the admin listener)` : err.message;
  throw new ProxyError(503, 'no_session', message, { 'retry-after': String(err.retryAfterS) });
}

/** Run an authorization that may wait for the session; its failure to have one becomes a 503. */
export async function withSession(
  call: () => Authorization | Promise<Authorization>,
): Promise<Authorization> {
  try {
    return await call();
  } catch (err) {
    return noSession(err);
  }
}

/**
 * Authorize the request with the session's credentials or token (flow steps 7-8): synchronously
 * when the session holds them (the common case costs no promise), else after the session's wait.
 */
export function authorize(authorizer: Authorizer, options = { operatorHints: true }): Pass {
  const failed = (err: unknown) => noSession(err, options.operatorHints);
  return (ctx: ProxyContext) => {
    const authorization = authorizer.authorize(ctx);
    if (!(authorization instanceof Promise)) {
      ctx.authorization = authorization;
      return;
    }
    return authorization.then((value) => {
      ctx.authorization = value;
    }, failed);
  };
}
