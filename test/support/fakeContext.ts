import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { createContext, type ProxyContext } from '../../src/proxy/context.js';
import { ClientWatch } from '../../src/proxy/watchClientAbort.js';

/** A context for calling one pass: `req` is a stream the test writes the body into. */
export function fakeContext(
  init: { method?: string; url?: string; headers?: Record<string, string> } = {},
): { ctx: ProxyContext; body: PassThrough; abort: ClientWatch } {
  const body = new PassThrough();
  const req = Object.assign(body, {
    method: init.method ?? 'GET',
    url: init.url ?? '/',
    headers: init.headers ?? {},
  }) as unknown as IncomingMessage;
  const abort = new ClientWatch();
  const ctx = createContext(req, {} as ServerResponse, abort, 'test', '');
  return { ctx, body, abort };
}

/** The ProxyError a pass throws (or rejects with), for its code and status. */
export async function refusal(run: () => unknown): Promise<{ status: number; code: string }> {
  try {
    await run();
  } catch (err) {
    return err as { status: number; code: string };
  }
  throw new Error('the pass did not refuse');
}
