import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  BendSchedule,
  matches,
  replaceAnswer,
  type Bend,
  type ScriptedCall,
} from './cognitoBends.js';
import { operationOf } from './cognitoOperation.js';
import { CognitoRefusal } from './cognitoRefusal.js';
import { sendError, sendJson } from './cognitoReply.js';
import { closeNow, listenOnLoopback } from './loopbackServer.js';
import { ScriptedIdentityPool } from './scriptedIdentityPool.js';
import { ScriptedUserPool } from './scriptedUserPool.js';
import type { KnownCredentials } from './verifySigV4.js';

export type { Bend, ScriptedCall, ScriptedChallenge } from './cognitoBends.js';

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
  /** How long every answer waits before it is sent (ms): a slow Cognito. Default 0. */
  answerDelayMs = 0;
  readonly #userPool: ScriptedUserPool;
  readonly #identityPool = new ScriptedIdentityPool(this);
  readonly #bends = new BendSchedule();
  readonly #stalled = new Set<ServerResponse>();
  #server: Server | undefined;

  constructor(options: ScriptedCognitoOptions = {}) {
    this.tokenSeconds = options.tokenSeconds ?? 3600;
    this.credentialSeconds = options.credentialSeconds ?? 3600;
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.#userPool = new ScriptedUserPool(this, options.caseSensitive ?? false);
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.url = await listenOnLoopback(this.#server);
    return this;
  }

  async stop(): Promise<void> {
    if (!this.#server) return;
    for (const res of this.#stalled) res.destroy();
    await closeNow(this.#server);
  }

  /** A user the pool knows. */
  addUser(name: string, password: string, options: { totpSecret?: string } = {}): this {
    this.#userPool.addUser(name, password, options.totpSecret);
    return this;
  }

  /**
   * Bend the next `times` answers to calls matching `match`: an operation (`GetId`), an
   * operation and flow (`InitiateAuth/REFRESH_TOKEN_AUTH`), or `*` for every call. Later bends
   * are tried after earlier ones.
   */
  bend(match: string, bend: Bend, times = Number.POSITIVE_INFINITY): this {
    this.#bends.add(match, bend, times);
    return this;
  }

  /** Back to a well-behaved pool (calls already stalled stay stalled). */
  unbend(): this {
    this.#bends.clear();
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
    return this.#identityPool.lookup(accessKeyId);
  }

  /** True for an access token this pool issued. */
  isAccessToken(token: string): boolean {
    return this.#userPool.isAccessToken(token);
  }

  /** Cognito's clock now (epoch ms). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return sendJson(
        res,
        400,
        { __type: 'SerializationException', message: 'bad JSON' },
        this.now(),
      );
    }
    const operation = operationOf(req.headers);
    const flow = typeof body['AuthFlow'] === 'string' ? `/${body['AuthFlow']}` : '';
    const call: ScriptedCall = { operation, name: operation + flow, body, at: Date.now() };
    this.calls.push(call);
    const bend = this.#bends.take(call);
    if (this.answerDelayMs > 0) await new Promise((r) => setTimeout(r, this.answerDelayMs));
    if (res.destroyed) return;
    if (replaceAnswer(res, bend, this.now(), this.#stalled)) return;
    try {
      sendJson(res, 200, this.#answer(call, bend), this.now());
    } catch (err) {
      if (err instanceof CognitoRefusal) return sendError(res, err, this.now());
      throw err;
    }
  }

  /** The operation's answer, chosen by X-Amz-Target (and the login flow). */
  #answer(call: ScriptedCall, bend: Bend | undefined): unknown {
    const expired = bend?.kind === 'expired';
    switch (call.name) {
      case 'InitiateAuth/USER_PASSWORD_AUTH':
        return this.#userPool.passwordLogin(call.body, bend);
      case 'InitiateAuth/REFRESH_TOKEN_AUTH':
        return this.#userPool.refresh(call.body, expired);
      case 'RespondToAuthChallenge':
        return this.#userPool.respond(call.body, expired);
      case 'RevokeToken':
        return this.#userPool.revoke(call.body);
      case 'GetId':
        return this.#identityPool.getId(call.body);
      case 'GetCredentialsForIdentity':
        return this.#identityPool.credentialsForIdentity(call.body, expired);
      default:
        throw new CognitoRefusal('InvalidParameterException', `${call.name} is not scripted`);
    }
  }
}
