import { createHash } from 'node:crypto';
import { signHttpRequest } from './signHttpRequest.js';
import type { SigningCredentials, SigningScope } from './types.js';

/** An outgoing request to sign with a minimal header set. */
export interface OutgoingRequest {
  method: string;
  /** `https:` or `http:` */
  protocol: string;
  hostname: string;
  /** Omit (or pass the default for the protocol) to sign a bare host name. */
  port?: number | undefined;
  /** The path exactly as it goes on the wire (percent-encoded, not decoded). */
  path: string;
  /** Decoded query keys and values; the caller sends the same pairs in canonical form. */
  query?: Record<string, string | string[]> | undefined;
  /** The whole body; never a stream, so the real payload hash is signed. */
  body?: Uint8Array | undefined;
  /** Also send (and sign) `x-amz-content-sha256`. */
  includeContentSha256?: boolean | undefined;
}

/** The `host` header for a target: the host name, with the port when it is not the default. */
export function hostHeader(protocol: string, hostname: string, port?: number): string {
  const defaultPort = protocol === 'http:' ? 80 : 443;
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return port === undefined || port === defaultPort ? host : `${host}:${port}`;
}

/**
 * Sign an outgoing request over `host`, `x-amz-date`, `x-amz-security-token` (and
 * `x-amz-content-sha256` when asked) and the SHA-256 of its body. Returns the headers to send;
 * other headers may travel unsigned, so nothing that rewrites them can break the signature.
 */
export async function signOutgoingRequest(
  request: OutgoingRequest,
  credentials: SigningCredentials,
  scope: SigningScope,
  signingDate: Date = new Date(),
): Promise<Record<string, string>> {
  const body = request.body ?? new Uint8Array(0);
  const headers: Record<string, string> = {
    host: hostHeader(request.protocol, request.hostname, request.port),
  };
  if (request.includeContentSha256) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  }
  return signHttpRequest(
    {
      method: request.method.toUpperCase(),
      protocol: request.protocol,
      hostname: request.hostname,
      port: request.port,
      path: request.path,
      query: request.query,
      headers,
      body,
    },
    credentials,
    scope,
    signingDate,
  );
}
