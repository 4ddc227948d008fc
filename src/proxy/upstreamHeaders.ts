import type { IncomingHttpHeaders } from 'node:http';
import { withoutConsoleCookie } from '../http/index.js';
import type { Pass } from './context.js';
import { isAcceptableRequestId } from './requestId.js';

/** Hop-by-hop headers (RFC 9110 7.6.1), never forwarded in either direction. */
export const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Methods that declare no body when they send none (no Content-Length: 0 added). */
const bodilessMethods: Readonly<Record<string, true>> = {
  GET: true,
  HEAD: true,
  DELETE: true,
  OPTIONS: true,
  TRACE: true,
};

/** The header names a message's Connection header lists, lowercased. */
export function connectionListed(connection: string | string[] | undefined): Set<string> {
  const values = Array.isArray(connection) ? connection.join(',') : (connection ?? '');
  return new Set(
    values
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Client headers the proxy replaces or must not pass on. */
function isDropped(name: string, listed: Set<string> | undefined): boolean {
  return (
    hopByHop.has(name) ||
    listed?.has(name) === true ||
    name === 'host' ||
    name === 'authorization' ||
    name === 'content-length' ||
    name === 'expect' ||
    name.startsWith('x-amz-')
  );
}

/**
 * The headers to forward: the client's, less hop-by-hop ones, those its Connection header names,
 * and any Authorization, X-Amz-* or Host; a client x-request-id only when it is fit to forward;
 * the console's session cookie never (the browser sends it to this port too); Content-Length is
 * set from the buffered body.
 */
export function forwardableHeaders(
  headers: IncomingHttpHeaders,
  bodyLength: number,
  method: string,
): Record<string, string | string[]> {
  const listed =
    headers.connection === undefined ? undefined : connectionListed(headers.connection);
  const result: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || isDropped(name, listed)) continue;
    if (name === 'x-request-id' && !isAcceptableRequestId(value)) continue;
    if (name === 'cookie' && typeof value === 'string') {
      const kept = withoutConsoleCookie(value);
      if (kept !== undefined) result[name] = kept;
      continue;
    }
    result[name] = value;
  }
  if (bodyLength > 0 || bodilessMethods[method] !== true) {
    result['content-length'] = String(bodyLength);
  }
  return result;
}

export const upstreamHeaders: Pass = (ctx) => {
  ctx.headers = forwardableHeaders(ctx.req.headers, ctx.bodyLength, ctx.req.method ?? 'GET');
};
