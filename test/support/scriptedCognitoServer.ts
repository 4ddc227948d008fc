import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, UnsecuredJWT } from 'jose';
import { verifySync } from 'otplib';
import { operationOf } from './cognitoOperation.js';
import type { KnownCredentials } from './verifySigV4.js';

/** One call as the scripted Cognito saw it. */
export interface ScriptedCall {
  /** The operation (InitiateAuth, GetId, ...). */
  operation: string;
  /** The operation with its flow when it has one: `InitiateAuth/REFRESH_TOKEN_AUTH`. */
  name: string;
  body: Record<string, unknown>;
  /** Our clock when it arrived (epoch ms). */
  at: number;
}

/** A challenge the scripted pool can ask for instead of tokens. */
export type ScriptedChallenge =
  'SMS_MFA' | 'EMAIL_OTP' | 'SELECT_MFA_TYPE' | 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA';

/** How one answer is bent away from a well-behaved Cognito. */
export type Bend =
  /** Send the status line and headers, then nothing more, ever (until the server stops). */
  | { kind: 'stall' }
  /** Tokens (ExpiresIn 0, `exp` in the past) or credentials (`Expiration` past) dead on arrival. */
  | { kind: 'expired' }
  /** Answer a login with this challenge (parameters as Cognito sends them). */
  | { kind: 'challenge'; name: ScriptedChallenge; parameters?: Record<string, string> }
  /** A Cognito error: `__type` and message, with this status (default 400). */
  | { kind: 'error'; type: string; status?: number; message?: string }
  /** Any answer at all. */
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> };

interface User {
  name: string;
  password: string;
  sub: string;
  /** A TOTP secret: password logins then ask for SOFTWARE_TOKEN_MFA. */
  totpSecret?: string | undefined;
}

interface ActiveBend {
  match: string;
  bend: Bend;
  remaining: number;
}

export interface ScriptedCognitoOptions {
  /** Access and id token lifetime (seconds). Default 3600. */
  tokenSeconds?: number;
  /** Federated credentials lifetime (seconds). Default 3600. */
  credentialSeconds?: number;
  /** Cognito's clock minus ours: its `Date` header and every time it sends use it. Default 0. */
  clockOffsetMs?: number;
  /** User names compare case-sensitively (Cognito's default is not to). Default false. */
  caseSensitive?: boolean;
}

/**
 * A scripted Cognito: one real HTTP server speaking the user pool
 * (`AWSCognitoIdentityProviderService.*`) and identity pool (`AWSCognitoIdentityService.GetId` /
 * `GetCredentialsForIdentity`) JSON protocols. It behaves as a plain pool until a test bends an
 * answer (stall after headers, expired on arrival, a challenge, any error, a clock elsewhere), and
 * counts every call. Point both SCRIBE_COGNITO_ENDPOINT and SCRIBE_IDENTITY_ENDPOINT at `url`.
 */
export class ScriptedCognito {
  url = '';
  readonly calls: ScriptedCall[] = [];
  tokenSeconds: number;
  credentialSeconds: number;
  clockOffsetMs: number;
  readonly #caseSensitive: boolean;
  readonly #users = new Map<string, User>();
  readonly #refreshTokens = new Map<string, string>();
  readonly #sessions = new Map<string, { user: string; challenge: ScriptedChallenge }>();
  readonly #credentials = new Map<string, KnownCredentials>();
  readonly #identities = new Map<string, string>();
  #bends: ActiveBend[] = [];
  readonly #stalled = new Set<ServerResponse>();
  #server: Server | undefined;

  constructor(options: ScriptedCognitoOptions = {}) {
    this.tokenSeconds = options.tokenSeconds ?? 3600;
    this.credentialSeconds = options.credentialSeconds ?? 3600;
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.#caseSensitive = options.caseSensitive ?? false;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    for (const res of this.#stalled) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A user the pool knows. */
  addUser(name: string, password: string, options: { totpSecret?: string } = {}): this {
    this.#users.set(this.#key(name), {
      name,
      password,
      sub: randomUUID(),
      totpSecret: options.totpSecret,
    });
    return this;
  }

  /**
   * Bend the next `times` answers to calls matching `match`: an operation (`GetId`), an
   * operation and flow (`InitiateAuth/REFRESH_TOKEN_AUTH`), or `*` for every call. Later bends
   * are tried after earlier ones.
   */
  bend(match: string, bend: Bend, times = Number.POSITIVE_INFINITY): this {
    this.#bends.push({ match, bend, remaining: times });
    return this;
  }

  /** Back to a well-behaved pool (calls already stalled stay stalled). */
  unbend(): this {
    this.#bends = [];
    return this;
  }

  /** How many calls matched `match` (as in bend()); all calls without it. */
  count(match = '*'): number {
    return this.calls.filter((c) => matches(match, c)).length;
  }

  /** Answers stalled after their headers and still open. */
  get stalledOpen(): number {
    return this.#stalled.size;
  }

  /** The secret of credentials this pool handed out, for a verifying upstream. */
  lookup(accessKeyId: string): KnownCredentials | undefined {
    return this.#credentials.get(accessKeyId);
  }

  /** True for an access token this pool issued. */
  isAccessToken(token: string): boolean {
    try {
      return decodeJwt(token)['token_use'] === 'access';
    } catch {
      return false;
    }
  }

  /** Cognito's clock now (epoch ms). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  #key(name: string): string {
    return this.#caseSensitive ? name : name.toLowerCase();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return this.#send(res, 400, { __type: 'SerializationException', message: 'bad JSON' });
    }
    const operation = operationOf(req.headers);
    const flow = typeof body['AuthFlow'] === 'string' ? `/${body['AuthFlow']}` : '';
    const call: ScriptedCall = { operation, name: operation + flow, body, at: Date.now() };
    this.calls.push(call);
    const active = this.#bends.find((b) => b.remaining > 0 && matches(b.match, call));
    if (active) active.remaining--;
    const bend = active?.bend;
    if (bend?.kind === 'stall') {
      res.writeHead(200, this.#headers());
      res.flushHeaders();
      this.#stalled.add(res);
      res.on('close', () => this.#stalled.delete(res));
      return;
    }
    if (bend?.kind === 'error') {
      return this.#error(res, bend.type, bend.message ?? 'scripted refusal', bend.status ?? 400);
    }
    if (bend?.kind === 'raw') {
      res.writeHead(bend.status, { ...this.#headers(), ...bend.headers });
      res.end(bend.body);
      return;
    }
    try {
      const answer = this.#answer(call, bend);
      this.#send(res, 200, answer);
    } catch (err) {
      if (err instanceof Refusal) return this.#error(res, err.type, err.message, 400);
      throw err;
    }
  }

  #answer(call: ScriptedCall, bend: Bend | undefined): unknown {
    const b = call.body;
    const expired = bend?.kind === 'expired';
    switch (call.name) {
      case 'InitiateAuth/USER_PASSWORD_AUTH': {
        const params = (b['AuthParameters'] ?? {}) as Record<string, string>;
        const user = this.#users.get(this.#key(params['USERNAME'] ?? ''));
        if (!user) throw new Refusal('UserNotFoundException', 'User does not exist.');
        if (user.password !== params['PASSWORD']) {
          throw new Refusal('NotAuthorizedException', 'Incorrect username or password.');
        }
        if (bend?.kind === 'challenge') return this.#challenge(user, bend.name, bend.parameters);
        if (user.totpSecret) return this.#challenge(user, 'SOFTWARE_TOKEN_MFA');
        return this.#tokens(user, true, expired);
      }
      case 'InitiateAuth/REFRESH_TOKEN_AUTH': {
        const params = (b['AuthParameters'] ?? {}) as Record<string, string>;
        const name = this.#refreshTokens.get(params['REFRESH_TOKEN'] ?? '');
        const user = name === undefined ? undefined : this.#users.get(name);
        if (!user) throw new Refusal('NotAuthorizedException', 'Invalid Refresh Token');
        return this.#tokens(user, false, expired);
      }
      case 'RespondToAuthChallenge':
        return this.#respond(b, expired);
      case 'RevokeToken':
        this.#refreshTokens.delete(String(b['Token']));
        return {};
      case 'GetId': {
        const sub = this.#subject(b['Logins']);
        const id = this.#identities.get(sub) ?? `eu-west-2:${randomUUID()}`;
        this.#identities.set(sub, id);
        return { IdentityId: id };
      }
      case 'GetCredentialsForIdentity': {
        this.#subject(b['Logins']);
        const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
        const secretAccessKey = randomBytes(20).toString('base64');
        const sessionToken = randomBytes(32).toString('base64');
        const expiresAt = expired
          ? this.now() - 60_000
          : this.now() + this.credentialSeconds * 1000;
        this.#credentials.set(accessKeyId, { secretAccessKey, sessionToken });
        return {
          IdentityId: b['IdentityId'],
          Credentials: {
            AccessKeyId: accessKeyId,
            SecretKey: secretAccessKey,
            SessionToken: sessionToken,
            Expiration: expiresAt / 1000,
          },
        };
      }
      default:
        throw new Refusal('InvalidParameterException', `${call.name} is not scripted`);
    }
  }

  #respond(b: Record<string, unknown>, expired: boolean): unknown {
    const session = this.#sessions.get(String(b['Session']));
    const responses = (b['ChallengeResponses'] ?? {}) as Record<string, string>;
    if (!session || session.challenge !== b['ChallengeName']) {
      throw new NotAuthorized('Invalid session for the user.');
    }
    this.#sessions.delete(String(b['Session']));
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
      if (!ok) throw new Refusal('CodeMismatchException', 'Invalid code received for user');
    } else {
      throw new Refusal('InvalidParameterException', `${session.challenge} is not scripted`);
    }
    return this.#tokens(user, true, expired);
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
    const issued = Math.floor(this.now() / 1000);
    const lifetime = expired ? 0 : this.tokenSeconds;
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

  /** The user an identity pool call is made for, from its id token (never verified here). */
  #subject(logins: unknown): string {
    const token = Object.values((logins ?? {}) as Record<string, string>)[0];
    try {
      const claims = decodeJwt(token ?? '');
      if (typeof claims.exp === 'number' && claims.exp * 1000 <= this.now()) {
        throw new NotAuthorized('Invalid login token. Token expired.');
      }
      return String(claims.sub);
    } catch (err) {
      if (err instanceof Refusal) throw err;
      throw new NotAuthorized('Invalid login token.');
    }
  }

  #headers(): Record<string, string> {
    return {
      'content-type': 'application/x-amz-json-1.1',
      date: new Date(this.now()).toUTCString(),
      'x-amzn-requestid': randomUUID(),
    };
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, this.#headers());
    res.end(JSON.stringify(body));
  }

  #error(res: ServerResponse, type: string, message: string, status: number): void {
    res.writeHead(status, { ...this.#headers(), 'x-amzn-errortype': type });
    res.end(JSON.stringify({ __type: type, message }));
  }
}

class Refusal extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

class NotAuthorized extends Refusal {
  constructor(message: string) {
    super('NotAuthorizedException', message);
  }
}

function matches(match: string, call: ScriptedCall): boolean {
  return match === '*' || match === call.operation || match === call.name;
}
