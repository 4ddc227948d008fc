import type { ServerResponse } from 'node:http';
import { sendJsonError } from '../http/index.js';

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

/** Answer with the error's JSON body and status, if nothing was sent yet. */
export function sendError(res: ServerResponse, error: ProxyError, requestId?: string): void {
  const headers = requestId ? { ...error.headers, 'x-request-id': requestId } : error.headers;
  sendJsonError(res, error.status, error.code, error.message, headers);
}
