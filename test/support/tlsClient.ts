import type { IncomingHttpHeaders } from 'node:http';
import { connect, type ConnectionOptions, type SecureVersion, type TLSSocket } from 'node:tls';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { Answer, Call } from './http.js';

/** How a TLS client connects: whom it trusts, what it presents, which versions it speaks. */
export interface TlsClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
}

/** An HTTPS answer and the certificate the server presented on that connection. */
export interface TlsAnswer extends Answer {
  /** SHA-256 fingerprint of the server's certificate. */
  fingerprint: string;
  /** The request went over a connection an earlier request opened (keep-alive). */
  reused: boolean;
}

/** An HTTPS client holding one keep-alive connection at a time. */
export interface TlsClient {
  call(baseUrl: string, options?: Call): Promise<TlsAnswer>;
  close(): Promise<void>;
}

/**
 * An HTTPS client on undici's own sockets: node:https requests would pass through nock's
 * interceptors (active in the same mocha process), which lose the TLS options.
 */
export function tlsClient(options: TlsClientOptions): TlsClient {
  const sockets: TLSSocket[] = [];
  const connector = buildConnector({
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    servername: 'localhost',
    rejectUnauthorized: true,
  } as buildConnector.BuildOptions);
  const agent = new Agent({
    connections: 1,
    keepAliveTimeout: 60_000,
    connect: (connectOptions, callback) =>
      connector(connectOptions, (err, socket) => {
        if (socket) sockets.push(socket as TLSSocket);
        // undici's callback takes either an error or a socket.
        if (err) callback(err, null);
        else callback(null, socket as TLSSocket);
      }),
  });
  return {
    async call(baseUrl, call = {}) {
      const before = sockets.length;
      const res = await request(new URL(call.path ?? '/', baseUrl), {
        method: (call.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: call.headers,
        body: call.body,
        dispatcher: agent,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      const socket = sockets.at(-1);
      return {
        status: res.statusCode,
        headers: res.headers as IncomingHttpHeaders,
        rawHeaders: [],
        body,
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
        fingerprint: socket?.getPeerCertificate().fingerprint256 ?? '',
        reused: before > 0 && sockets.length === before,
      };
    },
    close: () => agent.close(),
  };
}

/** One HTTPS request on a fresh connection. */
export async function httpsCall(
  baseUrl: string,
  options: Call & TlsClientOptions = {},
): Promise<TlsAnswer> {
  const client = tlsClient(options);
  try {
    return await client.call(baseUrl, options);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A TLS handshake alone: the protocol agreed, or the error that ended it. */
export function handshake(
  baseUrl: string,
  options: TlsClientOptions,
): Promise<{ protocol: string | null; fingerprint: string } | { error: string }> {
  const url = new URL(baseUrl);
  const connection: ConnectionOptions = {
    host: url.hostname,
    port: Number(url.port),
    servername: 'localhost',
    ...options,
  };
  return new Promise((resolve) => {
    const socket = connect(connection, () => {
      const result = {
        protocol: socket.getProtocol(),
        fingerprint: socket.getPeerCertificate().fingerprint256,
      };
      socket.end();
      resolve(result);
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ error: `${err.code ?? ''} ${err.message}` }),
    );
  });
}
