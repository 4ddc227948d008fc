import { canonicalQueryFromRaw, MalformedQueryError } from '../signing/index.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * The upstream path is the base path + the client's path, byte-exact (no decoding, no
 * re-encoding); the query is percent-decoded to bytes once and re-serialised in canonical form,
 * the exact string that is signed and sent (bytes that are not UTF-8 included, as API Gateway
 * takes them).
 */
export function upstreamTarget(apiUrl: URL): Pass {
  const basePath = apiUrl.pathname.replace(/\/+$/, '');
  return (ctx) => {
    const target = ctx.req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const rawQuery = q === -1 ? '' : target.slice(q + 1);
    if (target.includes('#')) {
      throw new ProxyError(400, 'bad_target', 'a request target must not contain a fragment (#)');
    }
    try {
      ctx.canonicalQuery = canonicalQueryFromRaw(rawQuery);
    } catch (err) {
      if (err instanceof MalformedQueryError) {
        throw new ProxyError(400, 'bad_query', 'the query string is not valid percent-encoding');
      }
      throw err;
    }
    // Unreserved characters are never escaped, so an encoded key starts with x-amz- exactly when
    // the decoded one does.
    for (const pair of ctx.canonicalQuery === '' ? [] : ctx.canonicalQuery.split('&')) {
      if (pair.slice(0, 6).toLowerCase() === 'x-amz-') {
        const key = pair.slice(0, pair.indexOf('='));
        throw new ProxyError(
          400,
          'bad_query',
          `the query parameter ${key.slice(0, 64)} is refused: the proxy signs requests, the client must not`,
        );
      }
    }
    ctx.clientPath = path;
    ctx.upstreamPath = basePath + path;
  };
}
