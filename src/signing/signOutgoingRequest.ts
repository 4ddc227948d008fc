import { createHash } from 'node:crypto';
import { signLeaving } from './signHttpRequest.js';
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
  /**
   * The whole body, in one piece or as the chunks it arrived in (hashed in order, never joined);
   * never a stream, so the real payload hash is signed.
   */
  body?: Uint8Array | readonly Uint8Array[] | undefined;
  /** Also send (and sign) `x-amz-content-sha256`. */
  includeContentSha256?: boolean | undefined;
}

/** The `host` header for a target: the host name, with the port when it is not the default. */
export function hostHeader(protocol: string, hostname: string, port?: number): string {
  const defaultPort = protocol === 'http:' ? 80 : 443;
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return port === undefined || port === defaultPort ? host : `${host}:${port}`;
}

/** The `host` header for a URL (an IPv6 address in brackets, the port when not the default). */
export function hostHeaderOf(url: URL): string {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return hostHeader(url.protocol, hostname, url.port ? Number(url.port) : undefined);
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
  const hash = createHash('sha256');
  const body = request.body ?? [];
  for (const chunk of Array.isArray(body) ? body : [body]) hash.update(chunk);
  // The signer takes a precomputed x-amz-content-sha256 as the payload hash; unless the caller
  // wants the header sent, it is left out of the signature and of the headers returned.
  const headers: Record<string, string> = {
    host: hostHeader(request.protocol, request.hostname, request.port),
    [contentSha256]: hash.digest('hex'),
  };
  const signed = await signLeaving(
    {
      method: request.method.toUpperCase(),
      protocol: request.protocol,
      hostname: request.hostname,
      port: request.port,
      path: request.path,
      query: request.query,
      headers,
    },
    credentials,
    scope,
    signingDate,
    request.includeContentSha256 ? undefined : unsignedContentSha256,
  );
  if (!request.includeContentSha256) delete signed[contentSha256];
  return signed;
}

const contentSha256 = 'x-amz-content-sha256';
const unsignedContentSha256 = new Set([contentSha256]);
