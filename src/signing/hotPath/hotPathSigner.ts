import { canonicalQueryString } from '../queryString.js';
import type { SignableRequest, SigningCredentials, SigningScope } from '../types.js';
import { amzDate } from './amzDate.js';
import { canonicalHeaders, canonicalHeaderValue } from './canonicalHeaders.js';
import { canonicalPath } from './canonicalPath.js';
import {
  authorization,
  credentialScope,
  deriveSigningKey,
  emptyPayloadHash,
  signature,
} from './sigv4Core.js';

/** One request as the proxy signs it: everything already in wire and canonical form. */
export interface HotPathRequest {
  method: string;
  /** The path as it goes on the wire. */
  path: string;
  /** The canonical query string, which is also exactly what is sent. */
  canonicalQuery: string;
  /** Hex SHA-256 of the body. */
  payloadHash: string;
}

/**
 * The proxy's SigV4 signer for one credential set, host and scope, on node:crypto: the signing key
 * is derived once a day, the date strings once a second, and the constant header block (`host`,
 * `x-amz-security-token`) once per credential set. It signs exactly `host`, `x-amz-date` and
 * `x-amz-security-token`, byte-identical to @smithy/signature-v4 (test/signing: the AWS suite
 * vectors and a differential test of generated requests, with smithy as the oracle).
 */
export class HotPathSigner {
  readonly #accessKeyId: string;
  readonly #secret: string;
  readonly #region: string;
  readonly #service: string;
  readonly #host: string;
  readonly #hostLine: string;
  readonly #tokenLine: string;
  readonly #signedHeaders: string;
  readonly #token: string | undefined;
  #keyDate = '';
  #key: Buffer = Buffer.alloc(0);
  #scope = '';

  constructor(credentials: SigningCredentials, scope: SigningScope, host: string) {
    this.#accessKeyId = credentials.accessKeyId;
    this.#secret = credentials.secretAccessKey;
    this.#region = scope.region;
    this.#service = scope.service;
    this.#host = host;
    this.#token = credentials.sessionToken || undefined;
    this.#hostLine = `host:${canonicalHeaderValue(host)}\n`;
    this.#tokenLine = this.#token
      ? `\nx-amz-security-token:${canonicalHeaderValue(this.#token)}`
      : '';
    this.#signedHeaders = this.#token ? 'host;x-amz-date;x-amz-security-token' : 'host;x-amz-date';
  }

  /** The headers that authorise `request` at `nowMs`. */
  sign(request: HotPathRequest, nowMs: number = Date.now()): Record<string, string> {
    const { longDate, shortDate } = amzDate(nowMs);
    if (shortDate !== this.#keyDate) {
      this.#key = deriveSigningKey(this.#secret, shortDate, this.#region, this.#service);
      this.#scope = credentialScope(shortDate, this.#region, this.#service);
      this.#keyDate = shortDate;
    }
    const canonicalRequest =
      `${request.method}\n${canonicalPath(request.path)}\n${request.canonicalQuery}\n` +
      `${this.#hostLine}x-amz-date:${longDate}${this.#tokenLine}\n\n` +
      `${this.#signedHeaders}\n${request.payloadHash}`;
    const sig = signature(this.#key, longDate, this.#scope, canonicalRequest);
    const headers: Record<string, string> = {
      host: this.#host,
      'x-amz-date': longDate,
      authorization: authorization(this.#accessKeyId, this.#scope, this.#signedHeaders, sig),
    };
    if (this.#token) headers['x-amz-security-token'] = this.#token;
    return headers;
  }
}

/**
 * The same signature over any headers (the general form of what HotPathSigner computes), for the
 * AWS suite vectors: `request.headers` are signed as smithy would sign them, and the body (a
 * string or bytes) is hashed.
 */
export function signWithNodeCrypto(
  request: SignableRequest,
  credentials: SigningCredentials,
  scope: SigningScope,
  signingDate: Date,
  hashBody: (body: Uint8Array | string) => string,
): string {
  const { longDate, shortDate } = amzDate(signingDate.getTime());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!['authorization', 'x-amz-date', 'date'].includes(name.toLowerCase()))
      headers[name] = value;
  }
  headers['x-amz-date'] = longDate;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const { block, signed } = canonicalHeaders(headers);
  const payloadHash = request.body === undefined ? emptyPayloadHash : hashBody(request.body);
  const canonicalRequest = `${request.method}\n${canonicalPath(request.path)}\n${canonicalQueryString(request.query ?? {})}\n${block}\n\n${signed}\n${payloadHash}`;
  const key = deriveSigningKey(credentials.secretAccessKey, shortDate, scope.region, scope.service);
  const credScope = credentialScope(shortDate, scope.region, scope.service);
  return authorization(
    credentials.accessKeyId,
    credScope,
    signed,
    signature(key, longDate, credScope, canonicalRequest),
  );
}
