import { request, type Agent } from 'node:https';
import { connect, type ConnectionOptions, type SecureVersion } from 'node:tls';
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

/** One HTTPS request; with `agent`, on its pooled connections (keep-alive). */
export function httpsCall(
  baseUrl: string,
  options: Call & TlsClientOptions & { agent?: Agent } = {},
): Promise<TlsAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        servername: 'localhost',
      },
      (res) => {
        const socket = res.socket as import('node:tls').TLSSocket;
        const fingerprint = socket.getPeerCertificate().fingerprint256;
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
            fingerprint,
            reused: req.reusedSocket,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
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
