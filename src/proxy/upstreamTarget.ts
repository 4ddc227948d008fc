import { canonicalQueryString, MalformedQueryError, parseQuery } from '../signing/index.js';
import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * The upstream path is the base path + the client's path, byte-exact (no decoding, no
 * re-encoding); the query is parsed once and re-serialised in canonical form, the exact string
 * that is signed and sent.
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
      ctx.query = parseQuery(rawQuery);
    } catch (err) {
      if (err instanceof MalformedQueryError) {
        throw new ProxyError(400, 'bad_query', 'the query string is not valid percent-encoding');
      }
      throw err;
    }
    for (const key of Object.keys(ctx.query)) {
      if (key.toLowerCase().startsWith('x-amz-')) {
        throw new ProxyError(
          400,
          'bad_query',
          `the query parameter ${key.slice(0, 64)} is refused: the proxy signs requests, the client must not`,
        );
      }
    }
    ctx.clientPath = path;
    ctx.upstreamPath = basePath + path;
    ctx.canonicalQuery = canonicalQueryString(ctx.query);
  };
}
