import type { ServerResponse } from 'node:http';

/** An answer the proxy makes itself: a status, a stable code and a message safe to show. */
export class ProxyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

/** Write `{ "error": { "code", "message" } }` with the error's status, if nothing was sent yet. */
export function sendError(res: ServerResponse, error: ProxyError, requestId?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(requestId ? { 'x-request-id': requestId } : {}),
  });
  res.end(body);
}
