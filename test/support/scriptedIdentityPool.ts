import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { CognitoRefusal, NotAuthorized } from './cognitoRefusal.js';
import type { KnownCredentials } from './verifySigV4.js';

/** What the identity pool reads from its Cognito when it answers: the clock and credential lifetime. */
export interface IdentityPoolClock {
  /** Cognito's clock now (epoch ms). */
  now(): number;
  /** Federated credentials lifetime (seconds). */
  readonly credentialSeconds: number;
}

type Body = Record<string, unknown>;

/**
 * The identity pool operations of the scripted Cognito (GetId, GetCredentialsForIdentity): one
 * identity per user, fresh credentials per call, kept for a verifying upstream. Id tokens are read,
 * never verified (the identity pool emulator is the one that checks them).
 */
export class ScriptedIdentityPool {
  readonly #clock: IdentityPoolClock;
  readonly #credentials = new Map<string, KnownCredentials>();
  readonly #identities = new Map<string, string>();

  constructor(clock: IdentityPoolClock) {
    this.#clock = clock;
  }

  /** The secret of credentials this pool handed out. */
  lookup(accessKeyId: string): KnownCredentials | undefined {
    return this.#credentials.get(accessKeyId);
  }

  /** GetId: the identity of the user whose id token is in `Logins` (the same one every time). */
  getId(body: Body): unknown {
    const sub = this.#subject(body['Logins']);
    const id = this.#identities.get(sub) ?? `eu-west-2:${randomUUID()}`;
    this.#identities.set(sub, id);
    return { IdentityId: id };
  }

  /** GetCredentialsForIdentity: new credentials, `Expiration` already past when `expired`. */
  credentialsForIdentity(body: Body, expired: boolean): unknown {
    this.#subject(body['Logins']);
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(20).toString('base64');
    const sessionToken = randomBytes(32).toString('base64');
    const now = this.#clock.now();
    const expiresAt = expired ? now - 60_000 : now + this.#clock.credentialSeconds * 1000;
    this.#credentials.set(accessKeyId, { secretAccessKey, sessionToken });
    return {
      IdentityId: body['IdentityId'],
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretKey: secretAccessKey,
        SessionToken: sessionToken,
        Expiration: expiresAt / 1000,
      },
    };
  }

  /** The user an identity pool call is made for, from its id token (never verified here). */
  #subject(logins: unknown): string {
    const token = Object.values((logins ?? {}) as Record<string, string>)[0];
    try {
      const claims = decodeJwt(token ?? '');
      if (typeof claims.exp === 'number' && claims.exp * 1000 <= this.#clock.now()) {
        throw new NotAuthorized('Invalid login token. Token expired.');
      }
      return String(claims.sub);
    } catch (err) {
      if (err instanceof CognitoRefusal) throw err;
      throw new NotAuthorized('Invalid login token.');
    }
  }
}
