import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationOf } from '../test/support/cognitoOperation.js';

/** A token-shaped string of about Scribe's real length (the memory figures depend on it). */
const tokenOf = (length: number) => randomBytes(Math.ceil((length * 3) / 4)).toString('base64url');

/**
 * The benchmark's stand-in for Cognito (user pool and identity pool on one port): accepts every
 * login and answers with tokens and credentials of real sizes. Only the per-client rows and the
 * memory-per-session figure use it; the test suite uses the real emulators.
 */
export async function startFakeCognito(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = operationOf(req.headers);
      const answer =
        operation === 'InitiateAuth'
          ? {
              AuthenticationResult: {
                AccessToken: tokenOf(1100),
                IdToken: tokenOf(1300),
                RefreshToken: tokenOf(1780),
                ExpiresIn: 3600,
                TokenType: 'Bearer',
              },
            }
          : operation === 'GetId'
            ? { IdentityId: `eu-west-2:${randomUUID()}` }
            : {
                IdentityId: 'eu-west-2:bench',
                Credentials: {
                  AccessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
                  SecretKey: randomBytes(30).toString('base64'),
                  SessionToken: tokenOf(1100),
                  Expiration: Math.floor(Date.now() / 1000) + 3600,
                },
              };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
