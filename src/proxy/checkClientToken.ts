import { createHash, timingSafeEqual } from 'node:crypto';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The token a client presented: `Proxy-Authorization: Bearer t`, else `Authorization: Bearer t`. */
function presentedToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * When PROXY_CLIENT_TOKEN is set, require it (compared in constant time). Missing: 401; wrong: 403.
 */
export function checkClientToken(expected: string | undefined): Pass {
  if (!expected) return () => {};
  const expectedDigest = digest(expected);
  return (ctx) => {
    const token =
      presentedToken(ctx.req.headers['proxy-authorization']) ??
      presentedToken(ctx.req.headers.authorization);
    if (token === undefined) {
      throw new ProxyError(
        401,
        'client_token_required',
        'this proxy requires a client token: send Authorization: Bearer <PROXY_CLIENT_TOKEN>',
        { 'www-authenticate': 'Bearer realm="scribe-proxy"' },
      );
    }
    if (!timingSafeEqual(digest(token), expectedDigest)) {
      throw new ProxyError(403, 'client_token_invalid', 'the client token is not valid');
    }
  };
}
