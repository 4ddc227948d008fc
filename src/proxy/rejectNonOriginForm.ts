import type { Pass } from './context.js';
import { ProxyError } from './ProxyError.js';

/**
 * Accept only origin-form targets (`/path?query`). CONNECT, absolute-form (`http://other/...`),
 * authority-form and `*` are refused: this is not an open proxy.
 */
export const rejectNonOriginForm: Pass = (ctx) => {
  if (ctx.req.method === 'CONNECT') {
    throw new ProxyError(
      400,
      'connect_refused',
      'CONNECT is not supported; this is not an open proxy',
    );
  }
  if (!(ctx.req.url ?? '').startsWith('/')) {
    throw new ProxyError(
      400,
      'not_origin_form',
      'only origin-form request targets (/path?query) are accepted; this is not an open proxy',
    );
  }
};
