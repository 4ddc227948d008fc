import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

export const algorithm = 'AWS4-HMAC-SHA256';
export const emptyPayloadHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The credential scope: `20261129/eu-west-2/execute-api/aws4_request`. */
export function credentialScope(shortDate: string, region: string, service: string): string {
  return `${shortDate}/${region}/${service}/aws4_request`;
}

/** The signing key for a day, region and service (four chained HMACs). */
export function deriveSigningKey(
  secretAccessKey: string,
  shortDate: string,
  region: string,
  service: string,
): Buffer {
  let key: Buffer | string = `AWS4${secretAccessKey}`;
  for (const part of [shortDate, region, service, 'aws4_request']) {
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  }
  return key as Buffer;
}

// node:crypto's one-shot hash (Node >= 20.12) spares a Hash object per request.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;

/** Hex SHA-256 of a UTF-8 string. */
function sha256Hex(text: string): string {
  return oneShot
    ? oneShot('sha256', text, 'hex')
    : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The signature of a canonical request: HMAC of the string to sign with the signing key. */
export function signature(
  signingKey: Buffer,
  longDate: string,
  scope: string,
  canonicalRequest: string,
): string {
  const hashed = sha256Hex(canonicalRequest);
  const stringToSign = `${algorithm}\n${longDate}\n${scope}\n${hashed}`;
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/** The Authorization header value. */
export function authorization(
  accessKeyId: string,
  scope: string,
  signedHeaders: string,
  sig: string,
): string {
  return `${algorithm} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${sig}`;
}
