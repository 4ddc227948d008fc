import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import {
  answerClockOf,
  boundedExpiry,
  longestLifetimeMs,
  onOurClock,
  requireValidOnArrival,
} from './answerClock.js';
import { requireText, type CognitoCalls } from './cognitoCalls.js';
import { MissingIdError, UnexpectedResponseError } from './errors.js';
import type { FederatedCredentials } from './types.js';

// Federation: the identity pool's id for a user, and its temporary AWS credentials.

/** The Cognito Identity id for the user an id token belongs to (GetId). */
export async function getFederatedId(calls: CognitoCalls, idToken: string): Promise<string> {
  requireText({ idToken });
  const identityPoolId = calls.require('identityPoolId', calls.identityPoolId);
  const output = await calls.retried('GetId', (o) =>
    calls.identity.send(
      new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins(calls, idToken) }),
      o,
    ),
  );
  if (!output.IdentityId) {
    throw new MissingIdError('GetId returned no identity id; check the identity pool id', {
      httpStatus: 502,
    });
  }
  return output.IdentityId;
}

/** Temporary AWS credentials for an identity (GetCredentialsForIdentity). */
export async function getFederatedCredentials(
  calls: CognitoCalls,
  identityId: string,
  idToken: string,
): Promise<FederatedCredentials> {
  requireText({ identityId, idToken });
  const output = await calls.retried('GetCredentialsForIdentity', (o) =>
    calls.identity.send(
      new GetCredentialsForIdentityCommand({
        IdentityId: identityId,
        Logins: logins(calls, idToken),
      }),
      o,
    ),
  );
  const c = output.Credentials;
  if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
    throw new UnexpectedResponseError('GetCredentialsForIdentity returned incomplete credentials', {
      httpStatus: 502,
    });
  }
  // Expiration is on Cognito's clock: read it against the Date of the answer that carried it,
  // and never as more than the hour Cognito gives credentials.
  const clock = answerClockOf(output);
  const expiration = boundedExpiry(
    onOurClock(new Date(c.Expiration).getTime(), clock),
    clock,
    longestLifetimeMs.credentials,
  );
  requireValidOnArrival(expiration, clock, 'GetCredentialsForIdentity', 'credentials');
  return {
    accessKeyId: c.AccessKeyId,
    secretKey: c.SecretKey,
    sessionToken: c.SessionToken,
    expiration: new Date(expiration),
  };
}

function logins(calls: CognitoCalls, idToken: string): Record<string, string> {
  const userPoolId = calls.require('userPoolId', calls.userPoolId);
  return { [`cognito-idp.${calls.region}.amazonaws.com/${userPoolId}`]: idToken };
}
