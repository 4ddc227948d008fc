import { bearerCheck, bearerToken } from '../http/index.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * When PROXY_CLIENT_TOKEN is set, require it (compared in constant time) as
 * `Proxy-Authorization: Bearer t`, else `Authorization: Bearer t`. Missing: 401; wrong: 403.
 */
export function checkClientToken(expected: string | undefined): Pass {
  if (!expected) return () => {};
  const matches = bearerCheck(expected);
  return (ctx) => {
    const token =
      bearerToken(ctx.req.headers['proxy-authorization']) ??
      bearerToken(ctx.req.headers.authorization);
    if (token === undefined) {
      throw new ProxyError(
        401,
        'client_token_required',
        'this proxy requires a client token: send Authorization: Bearer <PROXY_CLIENT_TOKEN>',
        { 'www-authenticate': 'Bearer realm="scribe-proxy"' },
      );
    }
    if (!matches(token)) {
      throw new ProxyError(403, 'client_token_invalid', 'the client token is not valid');
    }
  };
}
