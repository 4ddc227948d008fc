import { isChallenge, type AuthResult, type ScribeAuth, type Tokens } from '../auth/index.js';
import { ChallengePending } from './errors.js';
import type { Held } from './held.js';
import type { SessionCredentials } from './types.js';

/**
 * Tokens from a login result. An MFA challenge is answered unattended when a TOTP secret is
 * configured; any other challenge is thrown as ChallengePending for an operator.
 */
export async function tokensFrom(
  auth: ScribeAuth,
  result: AuthResult,
  mfaSecret: string | undefined,
): Promise<Tokens> {
  if (!isChallenge(result)) return result;
  if (result.challengeName === 'SOFTWARE_TOKEN_MFA' && mfaSecret) {
    // otplib is loaded when an MFA challenge comes, not by every login.
    const { generateSync } = await import('otplib');
    const code = generateSync({ secret: mfaSecret });
    return auth.respondToMfaChallenge(result.username, result.session, code);
  }
  throw new ChallengePending(result);
}

/** Tokens as held: issued now, expiring when Cognito said. */
export function holdTokens(tokens: Tokens): Held<Tokens> {
  return { value: tokens, issuedAt: Date.now(), expiresAt: tokens.expiresAt.getTime() };
}

/**
 * Federated credentials for an id token; the identity id is fetched only when not known yet
 * (`GetId` is limited to 25 requests a second per account).
 */
export async function fetchCredentials(
  auth: ScribeAuth,
  knownIdentityId: string | undefined,
  idToken: string,
): Promise<{ identityId: string; credentials: Held<SessionCredentials> }> {
  const identityId = knownIdentityId ?? (await auth.getFederatedId(idToken));
  const c = await auth.getFederatedCredentials(identityId, idToken);
  return {
    identityId,
    credentials: {
      value: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretKey,
        sessionToken: c.sessionToken,
      },
      issuedAt: Date.now(),
      expiresAt: c.expiration.getTime(),
    },
  };
}
