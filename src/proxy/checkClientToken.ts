import { bearerCheck, bearerToken } from '../http/index.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * When PROXY_CLIENT_TOKEN is set, require it (compared in constant time) as
 * `Proxy-Authorization: Bearer t`, else `Authorization: Bearer t`; in per-client mode, where
 * Authorization carries the client's own login, only in Proxy-Authorization. Missing: 401
 * (407 would make clients treat this as a forward proxy); wrong: 403.
 */
export function checkClientToken(
  expected: string | undefined,
  sessions: 'shared' | 'per-client' = 'shared',
): Pass {
  if (!expected) return () => {};
  const matches = bearerCheck(expected);
  const perClient = sessions === 'per-client';
  const where = perClient ? 'Proxy-Authorization' : 'Authorization';
  return (ctx) => {
    const token =
      bearerToken(ctx.req.headers['proxy-authorization']) ??
      (perClient ? undefined : bearerToken(ctx.req.headers.authorization));
    if (token === undefined) {
      throw new ProxyError(
        401,
        'client_token_required',
        `this proxy requires a client token: send ${where}: Bearer <PROXY_CLIENT_TOKEN>`,
        { 'www-authenticate': 'Bearer realm="scribe-proxy"' },
      );
    }
    if (!matches(token)) {
      throw new ProxyError(403, 'client_token_invalid', 'the client token is not valid');
    }
  };
}
