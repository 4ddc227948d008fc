import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NativeSha256 } from './nativeSha256.js';
import type { SignableRequest, SigningCredentials, SigningScope } from './types.js';

// One SignatureV4 per credentials object, so its signing-key cache is reused across requests
// signed with the same credentials and dropped with them.
const signers = new WeakMap<SigningCredentials, Map<string, SignatureV4>>();

function signerFor(credentials: SigningCredentials, scope: SigningScope): SignatureV4 {
  let byScope = signers.get(credentials);
  if (!byScope) {
    byScope = new Map();
    signers.set(credentials, byScope);
  }
  const key = `${scope.region}/${scope.service}`;
  let signer = byScope.get(key);
  if (!signer) {
    signer = new SignatureV4({
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
      region: scope.region,
      service: scope.service,
      sha256: NativeSha256,
      uriEscapePath: true,
      // x-amz-content-sha256 is sent only when asked for (signOutgoingRequest adds it itself).
      applyChecksum: false,
    });
    byScope.set(key, signer);
  }
  return signer;
}

/**
 * SigV4-sign a request with exactly the headers it carries, and return its headers with
 * `authorization`, `x-amz-date` and (with a session token) `x-amz-security-token` added.
 * The path is normalised and URI-encoded again, as SigV4 wants for every service but S3, so pass
 * the path as it goes on the wire. The body is hashed when it is a Buffer or string.
 */
export function signHttpRequest(
  request: SignableRequest,
  credentials: SigningCredentials,
  scope: SigningScope,
  signingDate: Date = new Date(),
): Promise<Record<string, string>> {
  return signLeaving(request, credentials, scope, signingDate, undefined);
}

/**
 * signHttpRequest, leaving `unsignable` headers out of the signature (they are still read: a
 * precomputed `x-amz-content-sha256` is taken as the payload hash even when it is not signed).
 */
export async function signLeaving(
  request: SignableRequest,
  credentials: SigningCredentials,
  scope: SigningScope,
  signingDate: Date,
  unsignable: Set<string> | undefined,
): Promise<Record<string, string>> {
  const signed = await signerFor(credentials, scope).sign(
    new HttpRequest({
      method: request.method,
      protocol: request.protocol,
      hostname: request.hostname,
      port: request.port,
      path: request.path,
      query: request.query ?? {},
      headers: { ...request.headers },
      body: request.body ?? '',
    }),
    unsignable ? { signingDate, unsignableHeaders: unsignable } : { signingDate },
  );
  return signed.headers;
}
