import { createHash, randomBytes } from 'node:crypto';
import { CognitoRefusal } from './cognitoRefusal.js';
import { closeNow, listenOnLoopback } from './loopbackServer.js';
import { registerSecret } from './secretScan.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** Credentials the emulator minted, as the verifying upstream needs to check signatures. */
export interface MintedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  identityId: string;
}

/** Where the emulator finds the user pool that issued id tokens. */
export interface IdentityPoolEmulatorOptions {
  identityPoolId: string;
  region: string;
  userPoolId: string;
  /** The user pool's endpoint (cognito-local); JWKS is read from `<endpoint>/<poolId>/.well-known/jwks.json`. */
  userPoolEndpoint: string;
  /** App clients whose id tokens are accepted (any when unset). */
  clientIds?: string[];
  /** Lifetime of minted credentials, in seconds. */
  credentialSeconds?: number;
}

/**
 * A Cognito Identity pool over its real JSON protocol (`GetId`, `GetCredentialsForIdentity`):
 * checks id tokens against the user pool's JWKS and mints per-identity credentials.
 */
export class IdentityPoolEmulator {
  readonly calls = { GetId: 0, GetCredentialsForIdentity: 0 };
  credentialSeconds: number;
  readonly #options: IdentityPoolEmulatorOptions;
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly #minted = new Map<string, MintedCredentials>();
  #server: Server | undefined;
  endpoint = '';

  constructor(options: IdentityPoolEmulatorOptions) {
    this.#options = options;
    this.credentialSeconds = options.credentialSeconds ?? 3600;
    this.#jwks = createRemoteJWKSet(
      new URL(`${options.userPoolEndpoint}/${options.userPoolId}/.well-known/jwks.json`),
    );
  }

  /** Listen on a free loopback port. */
  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.endpoint = await listenOnLoopback(this.#server);
    return this;
  }

  async stop(): Promise<void> {
    await closeNow(this.#server);
  }

  /** The secret behind an access key id this emulator minted. */
  lookup(accessKeyId: string): MintedCredentials | undefined {
    return this.#minted.get(accessKeyId);
  }

  /** Every set of credentials minted so far. */
  allMinted(): MintedCredentials[] {
    return [...this.#minted.values()];
  }

  /** Mint credentials without a token (for tests that only need a signer's inputs). */
  mint(identityId: string, seconds = this.credentialSeconds): MintedCredentials {
    const credentials: MintedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: new Date(Date.now() + seconds * 1000),
      identityId,
    };
    this.#minted.set(credentials.accessKeyId, credentials);
    registerSecret(credentials.secretAccessKey);
    registerSecret(credentials.sessionToken);
    return credentials;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    try {
      if (req.method !== 'POST') throw new CognitoRefusal('UnknownOperationException', 'POST only');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
        string,
        unknown
      >;
      let answer: unknown;
      if (target === 'AWSCognitoIdentityService.GetId') answer = await this.#getId(body);
      else if (target === 'AWSCognitoIdentityService.GetCredentialsForIdentity')
        answer = await this.#getCredentials(body);
      else throw new CognitoRefusal('UnknownOperationException', `unknown target ${target}`);
      this.#send(res, 200, answer);
    } catch (err) {
      const e =
        err instanceof CognitoRefusal
          ? err
          : new CognitoRefusal('InvalidParameterException', (err as Error).message);
      this.#send(res, e.status, { __type: e.type, message: e.message });
    }
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  async #verifiedSub(logins: unknown): Promise<string> {
    const key = `cognito-idp.${this.#options.region}.amazonaws.com/${this.#options.userPoolId}`;
    const token =
      logins && typeof logins === 'object' ? (logins as Record<string, unknown>)[key] : undefined;
    if (typeof token !== 'string') {
      throw new CognitoRefusal('NotAuthorizedException', `Logins must hold an id token for ${key}`);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#jwks));
    } catch (err) {
      throw new CognitoRefusal(
        'NotAuthorizedException',
        `Invalid login token. ${(err as Error).message}`,
      );
    }
    if (payload['token_use'] !== 'id') {
      throw new CognitoRefusal('NotAuthorizedException', 'Invalid login token. Not an id token.');
    }
    const audience = typeof payload.aud === 'string' ? payload.aud : undefined;
    if (this.#options.clientIds && !this.#options.clientIds.includes(audience ?? '')) {
      throw new CognitoRefusal('NotAuthorizedException', 'Invalid login token. Wrong audience.');
    }
    if (!payload.sub) throw new CognitoRefusal('NotAuthorizedException', 'Invalid login token.');
    return payload.sub;
  }

  #identityFor(sub: string): string {
    const hex = createHash('sha256').update(sub).digest('hex');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    return `${this.#options.region}:${uuid}`;
  }

  async #getId(body: Record<string, unknown>): Promise<unknown> {
    this.calls.GetId++;
    if (body['IdentityPoolId'] !== this.#options.identityPoolId) {
      throw new CognitoRefusal('ResourceNotFoundException', 'IdentityPool not found');
    }
    const sub = await this.#verifiedSub(body['Logins']);
    return { IdentityId: this.#identityFor(sub) };
  }

  async #getCredentials(body: Record<string, unknown>): Promise<unknown> {
    this.calls.GetCredentialsForIdentity++;
    const sub = await this.#verifiedSub(body['Logins']);
    const identityId = this.#identityFor(sub);
    if (body['IdentityId'] !== identityId) {
      throw new CognitoRefusal('NotAuthorizedException', 'Logins do not match the identity');
    }
    const c = this.mint(identityId);
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: c.accessKeyId,
        SecretKey: c.secretAccessKey,
        SessionToken: c.sessionToken,
        Expiration: c.expiration.getTime() / 1000,
      },
    };
  }
}
