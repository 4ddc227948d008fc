import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../http/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** `name` is `Host` in any case, compared without making a lower-cased copy (once per header). */
function isHostName(name: string): boolean {
  return (
    name.length === 4 &&
    (name.charCodeAt(0) | 0x20) === 0x68 &&
    (name.charCodeAt(1) | 0x20) === 0x6f &&
    (name.charCodeAt(2) | 0x20) === 0x73 &&
    (name.charCodeAt(3) | 0x20) === 0x74
  );
}

/** How many Host lines a request carries, counting up to two. */
function hostLines(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (isHostName(raw[i] as string) && ++count === 2) break;
  }
  return count;
}

const isHttp11 = (req: IncomingMessage) => req.httpVersionMajor === 1 && req.httpVersionMinor === 1;

const duplicateHost = {
  status: 400,
  code: 'duplicate_host',
  message: 'the request has more than one Host header',
} as const;

const missingHost = {
  status: 400,
  code: 'missing_host',
  message: 'an HTTP/1.1 request needs a Host header',
} as const;

/**
 * RFC 9112 section 3.2: a request with more than one Host line, or an HTTP/1.1 request with none,
 * is answered 400 (as JSON, like every other refusal; the listener turns off Node's own bare 400).
 * With two, the proxy would judge the first (the browser guard) while a peer in front may have
 * routed by another. The refusal closes the connection, and requests pipelined behind the refused
 * one are never handled: their answers could not reach the client, so running them (signing and
 * sending a POST upstream) would act for nobody.
 */
export function refuseHostLines(handler: Handler): Handler {
  const closing = new WeakSet<object>();
  return (req, res) => {
    if (closing.has(req.socket)) return;
    const count = hostLines(req.rawHeaders);
    if (count === 1 || (count === 0 && !isHttp11(req))) {
      handler(req, res);
      return;
    }
    closing.add(req.socket);
    const refusal = count === 0 ? missingHost : duplicateHost;
    const body = errorBody(refusal.code, refusal.message);
    res.writeHead(refusal.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
  };
}
