import {
  AssociateSoftwareTokenCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose/jwt/decode';
import {
  boundedExpiry,
  longestLifetimeMs,
  onOurClock,
  requireValidOnArrival,
  type AnswerClock,
} from './answerClock.js';
import { requireText, type CognitoCalls } from './cognitoCalls.js';
import { CodeMismatchError, UnexpectedResponseError } from './errors.js';
import type { Tokens } from './types.js';

// Tokens: what a login returns and when it expires, revoking them, and enrolling the TOTP
// authenticator an access token's user answers MFA with.

export function tokensFrom(
  result: AuthenticationResultType,
  refreshToken: string | undefined,
  operation: string,
  clock: AnswerClock,
): Tokens {
  const refresh = result.RefreshToken ?? refreshToken;
  if (!result.AccessToken || !result.IdToken || !refresh) {
    throw new UnexpectedResponseError(`${operation} returned incomplete tokens`, {
      httpStatus: 502,
    });
  }
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: refresh,
    expiresAt: tokensExpireAt(result, clock, operation),
  };
}

/**
 * When the tokens stop working, on our clock: the earliest of ExpiresIn (a lifetime, counted
 * from the answer's arrival) and the `exp` of both tokens (an absolute time on Cognito's clock,
 * read against the answer's Date; read, not verified: Cognito just issued them, and only the
 * schedule depends on it). Some pools (and cognito-local) report an ExpiresIn that does not
 * match the tokens' own lifetime. Never more than a day (longestLifetimeMs); tokens not valid on
 * arrival are refused.
 */
function tokensExpireAt(
  result: AuthenticationResultType,
  clock: AnswerClock,
  operation: string,
): Date {
  const times = [clock.arrivedAt + (result.ExpiresIn ?? 3600) * 1000];
  for (const token of [result.AccessToken, result.IdToken]) {
    try {
      const exp = token ? decodeJwt(token).exp : undefined;
      if (typeof exp === 'number') times.push(onOurClock(exp * 1000, clock));
    } catch {
      // Not a JWT (a test double or an opaque token): ExpiresIn stands.
    }
  }
  const expiresAt = boundedExpiry(Math.min(...times), clock, longestLifetimeMs.tokens);
  requireValidOnArrival(expiresAt, clock, operation, 'tokens');
  return new Date(expiresAt);
}

/** Revoke a refresh token and the tokens issued from it (RevokeToken). */
export async function revokeRefreshToken(calls: CognitoCalls, refreshToken: string): Promise<true> {
  requireText({ refreshToken });
  await calls.retried('RevokeToken', (o) =>
    calls.idp.send(
      new RevokeTokenCommand({
        ClientId: calls.clientId,
        Token: refreshToken,
        ...(calls.clientSecret ? { ClientSecret: calls.clientSecret } : {}),
      }),
      o,
    ),
  );
  return true;
}

/** Start TOTP enrolment for the user an access token belongs to; returns the TOTP secret. */
export async function associateSoftwareToken(
  calls: CognitoCalls,
  accessToken: string,
): Promise<string> {
  requireText({ accessToken });
  const output = await calls.once('AssociateSoftwareToken', (o) =>
    calls.idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }), o),
  );
  if (!output.SecretCode) {
    throw new UnexpectedResponseError('AssociateSoftwareToken returned no secret', {
      httpStatus: 502,
    });
  }
  return output.SecretCode;
}

/** Finish TOTP enrolment with a code from the authenticator, and make TOTP the user's MFA. */
export async function verifySoftwareToken(
  calls: CognitoCalls,
  accessToken: string,
  code: string,
  deviceName?: string,
): Promise<true> {
  requireText({ accessToken, code });
  const output = await calls.once('VerifySoftwareToken', (o) =>
    calls.idp.send(
      new VerifySoftwareTokenCommand({
        AccessToken: accessToken,
        UserCode: code,
        ...(deviceName ? { FriendlyDeviceName: deviceName } : {}),
      }),
      o,
    ),
  );
  if (output.Status !== 'SUCCESS') {
    throw new CodeMismatchError('the authenticator code did not verify; try the next code', {
      httpStatus: 400,
    });
  }
  await calls.once('SetUserMFAPreference', (o) =>
    calls.idp.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
      o,
    ),
  );
  return true;
}
