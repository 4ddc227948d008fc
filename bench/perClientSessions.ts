import { ScribeAuth } from '../src/auth/index.js';
import { Session, SessionCache } from '../src/session/index.js';

/** A per-client session cache (sigv4) whose logins go to `cognitoUrl` (bench/fakeCognito.ts). */
export function perClientCache(cognitoUrl: string, max = 10_000): SessionCache {
  const auth = new ScribeAuth({
    clientId: 'bench-client',
    userPoolId: 'eu-west-2_bench',
    identityPoolId: 'eu-west-2:bench',
    endpoints: { cognitoIdentityProvider: cognitoUrl, cognitoIdentity: cognitoUrl },
  });
  return new SessionCache({
    max,
    idleMs: 1_800_000,
    create: ({ username, password }) =>
      new Session({ auth, mode: 'sigv4', username, password, refreshMarginS: 300 }),
  });
}

/** The benchmark's accounts: `bench-user-N` with a password of a real length. */
export function benchAccount(n: number): { username: string; password: string } {
  return { username: `bench-user-${n}@example.com`, password: `Bench-Passw0rd-${n}-xxxxxx` };
}
