import type { Agent } from 'node:http';
import type { RetryPolicy } from './retry.js';

/** Everything ScribeAuth needs to reach Scribe's Cognito pools. */
export interface ScribeAuthOptions {
  /** The user pool app client id. */
  clientId: string;
  /** The user pool id (needed for federated identities). */
  userPoolId?: string | undefined;
  /** The identity pool id (needed for federated credentials). */
  identityPoolId?: string | undefined;
  /** AWS region of the pools. Default `eu-west-2`. */
  region?: string | undefined;
  /** The app client secret, when the client has one (adds SECRET_HASH). */
  clientSecret?: string | undefined;
  /** Endpoint overrides (sandbox, tests, private endpoints). */
  endpoints?:
    | {
        cognitoIdentityProvider?: string | undefined;
        cognitoIdentity?: string | undefined;
      }
    | undefined;
  /** Backoff for idempotent calls (refresh, GetId, GetCredentialsForIdentity, RevokeToken). */
  retry?: Partial<RetryPolicy> | undefined;
  /** Time limit for one HTTP call to Cognito, in ms. Default 10000. */
  requestTimeoutMs?: number | undefined;
  /**
   * HTTP agents for the calls to each pool, e.g. through an egress proxy (the proxy and the CLI
   * pass agents built from HTTPS_PROXY / HTTP_PROXY / NO_PROXY). Default: the SDK's own.
   */
  agents?:
    | {
        cognitoIdentityProvider?: Agent | undefined;
        cognitoIdentity?: Agent | undefined;
      }
    | undefined;
}

/** Cognito user pool tokens. */
export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** When the access and id tokens expire. */
  expiresAt: Date;
}

/** The challenges ScribeAuth can return for the caller to answer. */
export type ChallengeName = 'SOFTWARE_TOKEN_MFA' | 'NEW_PASSWORD_REQUIRED';

/** A challenge Cognito asks to be answered before it hands out tokens. */
export interface Challenge {
  challengeName: ChallengeName;
  /** Opaque session to pass back when answering. */
  session: string;
  /** The username to answer with (Cognito's USER_ID_FOR_SRP). */
  username: string;
  /** For NEW_PASSWORD_REQUIRED: attributes that must be given with the new password. */
  requiredAttributes?: string[];
}

/** The outcome of a login: tokens, or a challenge to answer. */
export type AuthResult = Tokens | Challenge;

/** Federated AWS credentials from Cognito Identity. */
export interface FederatedCredentials {
  accessKeyId: string;
  secretKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Where Cognito sent a password-reset code. */
export interface CodeDelivery {
  deliveryMedium: string | undefined;
  destination: string | undefined;
  attributeName: string | undefined;
}

/** A request to sign: an absolute URL, a method, optional headers and body. */
export interface RequestToSign {
  method: string;
  url: string | URL;
  body?: Uint8Array | string | undefined;
}

/** Login inputs for getTokens. */
export type LoginInput =
  { username: string; password: string } | { refreshToken: string; username?: string | undefined };

/** True when a login result is a challenge rather than tokens. */
export function isChallenge(result: AuthResult): result is Challenge {
  return 'challengeName' in result;
}
