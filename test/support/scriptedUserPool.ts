import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt, UnsecuredJWT } from 'jose';
import { verifySync } from 'otplib';
import type { Bend, ScriptedChallenge } from './cognitoBends.js';
import { CognitoRefusal, NotAuthorized } from './cognitoRefusal.js';

interface User {
  name: string;
  password: string;
  sub: string;
  /** A TOTP secret: password logins then ask for SOFTWARE_TOKEN_MFA. */
  totpSecret?: string | undefined;
}

/** What the user pool reads from its Cognito when it answers: the clock and token lifetime. */
export interface UserPoolClock {
  /** Cognito's clock now (epoch ms). */
  now(): number;
  /** Access and id token lifetime (seconds). */
  readonly tokenSeconds: number;
}

type Body = Record<string, unknown>;

/**
 * The user pool operations of the scripted Cognito (InitiateAuth with a password or a refresh
 * token, RespondToAuthChallenge, RevokeToken) over the users it keeps. Tokens are unsigned JWTs.
 */
export class ScriptedUserPool {
  readonly #clock: UserPoolClock;
  readonly #caseSensitive: boolean;
  readonly #users = new Map<string, User>();
  readonly #refreshTokens = new Map<string, string>();
  readonly #sessions = new Map<string, { user: string; challenge: ScriptedChallenge }>();

  constructor(clock: UserPoolClock, caseSensitive: boolean) {
    this.#clock = clock;
    this.#caseSensitive = caseSensitive;
  }

  /** A user the pool knows. */
  addUser(name: string, password: string, totpSecret: string | undefined): void {
    this.#users.set(this.#key(name), { name, password, sub: randomUUID(), totpSecret });
  }

  /** True for an access token this pool issued. */
  isAccessToken(token: string): boolean {
    try {
      return decodeJwt(token)['token_use'] === 'access';
    } catch {
      return false;
    }
  }

  /** InitiateAuth/USER_PASSWORD_AUTH: tokens, or a challenge (a bent one, or TOTP's). */
  passwordLogin(body: Body, bend: Bend | undefined): unknown {
    const params = (body['AuthParameters'] ?? {}) as Record<string, string>;
    const user = this.#users.get(this.#key(params['USERNAME'] ?? ''));
    if (!user) throw new CognitoRefusal('UserNotFoundException', 'User does not exist.');
    if (user.password !== params['PASSWORD']) {
      throw new NotAuthorized('Incorrect username or password.');
    }
    if (bend?.kind === 'challenge') return this.#challenge(user, bend.name, bend.parameters);
    if (user.totpSecret) return this.#challenge(user, 'SOFTWARE_TOKEN_MFA');
    return this.#tokens(user, true, bend?.kind === 'expired');
  }

  /** InitiateAuth/REFRESH_TOKEN_AUTH: new access and id tokens, no new refresh token. */
  refresh(body: Body, expired: boolean): unknown {
    const params = (body['AuthParameters'] ?? {}) as Record<string, string>;
    const name = this.#refreshTokens.get(params['REFRESH_TOKEN'] ?? '');
    const user = name === undefined ? undefined : this.#users.get(name);
    if (!user) throw new NotAuthorized('Invalid Refresh Token');
    return this.#tokens(user, false, expired);
  }

  /** RevokeToken: the refresh token no longer refreshes. */
  revoke(body: Body): unknown {
    this.#refreshTokens.delete(String(body['Token']));
    return {};
  }

  /** RespondToAuthChallenge: a new password, a chosen MFA type, or a TOTP code. */
  respond(body: Body, expired: boolean): unknown {
    const session = this.#sessions.get(String(body['Session']));
    const responses = (body['ChallengeResponses'] ?? {}) as Record<string, string>;
    if (!session || session.challenge !== body['ChallengeName']) {
      throw new NotAuthorized('Invalid session for the user.');
    }
    this.#sessions.delete(String(body['Session']));
    const user = this.#users.get(session.user);
    if (!user) throw new NotAuthorized('User does not exist.');
    if (session.challenge === 'NEW_PASSWORD_REQUIRED') {
      user.password = responses['NEW_PASSWORD'] ?? user.password;
    } else if (session.challenge === 'SELECT_MFA_TYPE') {
      return this.#challenge(user, 'SOFTWARE_TOKEN_MFA');
    } else if (session.challenge === 'SOFTWARE_TOKEN_MFA') {
      const code = responses['SOFTWARE_TOKEN_MFA_CODE'] ?? '';
      const ok = user.totpSecret
        ? verifySync({ token: code, secret: user.totpSecret }).valid
        : true;
      if (!ok) throw new CognitoRefusal('CodeMismatchException', 'Invalid code received for user');
    } else {
      throw new CognitoRefusal('InvalidParameterException', `${session.challenge} is not scripted`);
    }
    return this.#tokens(user, true, expired);
  }

  #key(name: string): string {
    return this.#caseSensitive ? name : name.toLowerCase();
  }

  #challenge(user: User, name: ScriptedChallenge, parameters: Record<string, string> = {}) {
    const session = randomBytes(16).toString('hex');
    this.#sessions.set(session, { user: this.#key(user.name), challenge: name });
    const defaults: Record<string, string> =
      name === 'SELECT_MFA_TYPE' ? { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' } : {};
    return {
      ChallengeName: name,
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: user.name, ...defaults, ...parameters },
    };
  }

  #tokens(user: User, withRefresh: boolean, expired: boolean) {
    const issued = Math.floor(this.#clock.now() / 1000);
    const lifetime = expired ? 0 : this.#clock.tokenSeconds;
    const exp = expired ? issued - 60 : issued + lifetime;
    const jwt = (use: 'access' | 'id') =>
      new UnsecuredJWT({ sub: user.sub, token_use: use, username: user.name, jti: randomUUID() })
        .setIssuedAt(issued)
        .setExpirationTime(exp)
        .encode();
    const result: Record<string, unknown> = {
      AccessToken: jwt('access'),
      IdToken: jwt('id'),
      ExpiresIn: lifetime,
      TokenType: 'Bearer',
    };
    if (withRefresh) {
      const refresh = randomBytes(24).toString('hex');
      this.#refreshTokens.set(refresh, this.#key(user.name));
      result['RefreshToken'] = refresh;
    }
    return { AuthenticationResult: result, ChallengeParameters: {} };
  }
}
