import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export interface Call {
  method?: string;
  path?: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  /** Send the body in these pieces with chunked transfer-encoding. */
  chunks?: Array<Buffer | string>;
}

/** One HTTP request on a fresh connection; the whole answer. */
export function call(baseUrl: string, options: Call = {}): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            json: <T>() => JSON.parse(body.toString('utf8')) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/** Write raw bytes to a server and collect everything it answers until it closes. */
export function rawExchange(baseUrl: string, text: string, timeoutMs = 5000): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.write(text);
  });
}

/**
 * A client that sends the whole request before it reads anything (as Python's http.client and
 * many others do): the head and `body` are written, and only once the last byte has left does it
 * read what came back, until the server closes. Rejects with the socket's error (a reset, a
 * broken pipe) when the server cut the connection before the answer could be read.
 */
export function sendThenRead(
  baseUrl: string,
  head: string,
  body: Buffer | readonly Buffer[] = [],
  timeoutMs = 15_000,
): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    // Nothing is read until the request is out: what arrives waits in the kernel, where a reset
    // from the server discards it, as it does for such a client.
    socket.pause();
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no answer in time')));
    socket.on('error', reject);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(head);
    const pieces = Buffer.isBuffer(body) ? [body] : body;
    pieces.forEach((piece, i) =>
      socket.write(piece, i === pieces.length - 1 ? () => socket.resume() : undefined),
    );
    if (pieces.length === 0) socket.resume();
  });
}

/** The JSON body of a raw HTTP answer (after its head). */
export function rawJson<T = { error: { code: string; message: string } }>(text: string): T {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as T;
}
