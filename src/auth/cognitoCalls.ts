import type { Agent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { recordAnswerClocks } from './answerClock.js';
import { boundAnswerBodies } from './boundedAnswer.js';
import { withinDeadline, type CallOptions } from './deadline.js';
import { InvalidParameterError, toScribeError } from './errors.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.js';
import { secretHash } from './secretHash.js';
import type { ScribeAuthOptions } from './types.js';

const DEFAULT_REGION = 'eu-west-2';

/** One Cognito call, given the signal that ends it at its deadline. */
export type CognitoCall<T> = (options: CallOptions) => Promise<T>;

/**
 * The one way every ScribeAuth operation reaches Cognito: the two SDK clients, each call under
 * one overall deadline (deadline.ts) with the time of its answer noted (answerClock.ts), errors
 * mapped to ScribeAuth's, and retries only for the calls DESIGN.md allows.
 */
export class CognitoCalls {
  readonly clientId: string;
  readonly userPoolId: string | undefined;
  readonly identityPoolId: string | undefined;
  readonly region: string;
  readonly clientSecret: string | undefined;
  readonly idp: CognitoIdentityProviderClient;
  readonly identity: CognitoIdentityClient;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;

  constructor(opts: ScribeAuthOptions) {
    if (!opts.clientId) throw new InvalidParameterError('clientId is required');
    this.clientId = opts.clientId;
    this.userPoolId = opts.userPoolId;
    this.identityPoolId = opts.identityPoolId;
    this.region = opts.region ?? DEFAULT_REGION;
    this.clientSecret = opts.clientSecret;
    this.#retry = { ...defaultRetryPolicy, ...opts.retry };
    this.#timeoutMs = opts.requestTimeoutMs ?? 10_000;
    const handler = (agent: Agent | undefined) => ({
      requestTimeout: this.#timeoutMs,
      connectionTimeout: this.#timeoutMs,
      throwOnRequestTimeout: true,
      // One agent serves either scheme (an egress proxy agent decides how to connect).
      ...(agent ? { httpAgent: agent, httpsAgent: agent as HttpsAgent } : {}),
    });
    // The SDK's own retries are off: it would retry LimitExceeded (burning a user's few password
    // attempts) and state-changing calls. withRetry retries only what DESIGN.md allows.
    const common = { region: this.region, maxAttempts: 1 };
    this.idp = new CognitoIdentityProviderClient({
      ...common,
      requestHandler: handler(opts.agents?.cognitoIdentityProvider),
      ...(opts.endpoints?.cognitoIdentityProvider
        ? { endpoint: opts.endpoints.cognitoIdentityProvider }
        : {}),
    });
    this.identity = new CognitoIdentityClient({
      ...common,
      requestHandler: handler(opts.agents?.cognitoIdentity),
      ...(opts.endpoints?.cognitoIdentity ? { endpoint: opts.endpoints.cognitoIdentity } : {}),
    });
    for (const client of [this.idp, this.identity]) {
      recordAnswerClocks(client);
      boundAnswerBodies(client);
    }
  }

  /** Release the HTTP agents behind the clients. */
  destroy(): void {
    this.idp.destroy();
    this.identity.destroy();
  }

  /** A call made once (state-changing, or counted against the user's attempts). */
  async once<T>(operation: string, call: CognitoCall<T>): Promise<T> {
    try {
      return await withinDeadline(this.#timeoutMs, call);
    } catch (err) {
      throw toScribeError(err, operation);
    }
  }

  /** An idempotent call, retried on throttling, 5xx and network faults (each try its deadline). */
  retried<T>(operation: string, call: CognitoCall<T>): Promise<T> {
    return withRetry(this.#retry, () => this.once(operation, call));
  }

  /** SECRET_HASH as a challenge or auth parameter, when the app client has a secret. */
  secretHashParam(username: string): Record<string, string> {
    return this.clientSecret
      ? { SECRET_HASH: secretHash(username, this.clientId, this.clientSecret) }
      : {};
  }

  /** SecretHash as a request field, when the app client has a secret. */
  secretHashField(username: string): { SecretHash?: string } {
    return this.clientSecret
      ? { SecretHash: secretHash(username, this.clientId, this.clientSecret) }
      : {};
  }

  /** `value`, or an InvalidParameterError naming the option this operation needs. */
  require(name: string, value: string | undefined): string {
    if (!value) throw new InvalidParameterError(`${name} is required for this operation`);
    return value;
  }
}

/** Refuse missing or empty inputs, naming them all. */
export function requireText(values: Record<string, string | undefined>): void {
  const missing = Object.entries(values)
    .filter(([, v]) => typeof v !== 'string' || v.length === 0)
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new InvalidParameterError(`missing or empty: ${missing.join(', ')}`);
  }
}
