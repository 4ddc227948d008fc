import type { Agent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import {
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import { parseQuery, signOutgoingRequest } from '../signing/index.js';
import {
  CodeMismatchError,
  InvalidParameterError,
  MissingIdError,
  ScribeAuthError,
  UnexpectedResponseError,
  toScribeError,
} from './errors.js';
import {
  answerClockOf,
  onOurClock,
  recordAnswerClocks,
  requireValidOnArrival,
  type AnswerClock,
} from './answerClock.js';
import { withinDeadline, type CallOptions } from './deadline.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.js';
import { secretHash } from './secretHash.js';
import type {
  AuthResult,
  Challenge,
  CodeDelivery,
  FederatedCredentials,
  LoginInput,
  RequestToSign,
  ScribeAuthOptions,
  Tokens,
} from './types.js';

const DEFAULT_REGION = 'eu-west-2';

/**
 * Scribe's Cognito login, federated credentials and request signing: a camelCase mirror of the
 * `scribeauth` Python library, with typed errors that keep Cognito's cause.
 */
export class ScribeAuth {
  readonly clientId: string;
  readonly userPoolId: string | undefined;
  readonly identityPoolId: string | undefined;
  readonly region: string;
  readonly #clientSecret: string | undefined;
  readonly #retry: RetryPolicy;
  readonly #idp: CognitoIdentityProviderClient;
  readonly #identity: CognitoIdentityClient;
  readonly #timeoutMs: number;

  constructor(options: ScribeAuthOptions | string) {
    const opts: ScribeAuthOptions = typeof options === 'string' ? { clientId: options } : options;
    if (!opts.clientId) throw new InvalidParameterError('clientId is required');
    this.clientId = opts.clientId;
    this.userPoolId = opts.userPoolId;
    this.identityPoolId = opts.identityPoolId;
    this.region = opts.region ?? DEFAULT_REGION;
    this.#clientSecret = opts.clientSecret;
    this.#retry = { ...defaultRetryPolicy, ...opts.retry };
    const requestTimeout = opts.requestTimeoutMs ?? 10_000;
    this.#timeoutMs = requestTimeout;
    const handler = (agent: Agent | undefined) => ({
      requestTimeout,
      connectionTimeout: requestTimeout,
      throwOnRequestTimeout: true,
      // One agent serves either scheme (an egress proxy agent decides how to connect).
      ...(agent ? { httpAgent: agent, httpsAgent: agent as HttpsAgent } : {}),
    });
    // The SDK's own retries are off: it would retry LimitExceeded (burning a user's few password
    // attempts) and state-changing calls. withRetry retries only what DESIGN.md allows.
    const common = { region: this.region, maxAttempts: 1 };
    this.#idp = new CognitoIdentityProviderClient({
      ...common,
      requestHandler: handler(opts.agents?.cognitoIdentityProvider),
      ...(opts.endpoints?.cognitoIdentityProvider
        ? { endpoint: opts.endpoints.cognitoIdentityProvider }
        : {}),
    });
    this.#identity = new CognitoIdentityClient({
      ...common,
      requestHandler: handler(opts.agents?.cognitoIdentity),
      ...(opts.endpoints?.cognitoIdentity ? { endpoint: opts.endpoints.cognitoIdentity } : {}),
    });
    recordAnswerClocks(this.#idp);
    recordAnswerClocks(this.#identity);
  }

  /** Release the HTTP agents behind the Cognito clients. */
  destroy(): void {
    this.#idp.destroy();
    this.#identity.destroy();
  }

  /**
   * Change a user's password. Signs in with the current one; when Cognito asks for a new
   * password (a temporary password), answers that challenge, otherwise calls ChangePassword.
   */
  async changePassword(
    username: string,
    password: string,
    newPassword: string,
    userAttributes: Record<string, string> = {},
  ): Promise<true> {
    requireText({ username, password, newPassword });
    const result = await this.getTokens({ username, password });
    if ('challengeName' in result) {
      if (result.challengeName === 'NEW_PASSWORD_REQUIRED') {
        // Cognito sets the password when it accepts this answer, even if MFA follows.
        await this.respondToNewPasswordChallenge(
          result.username,
          result.session,
          newPassword,
          userAttributes,
          result.requiredAttributes,
        );
        return true;
      }
      throw new InvalidParameterError(
        'changePassword: this account has MFA; log in with getTokens and respondToMfaChallenge, ' +
          'then call changePasswordWithToken with the access token',
      );
    }
    return this.changePasswordWithToken(result.accessToken, password, newPassword);
  }

  /** Change the password of the user an access token belongs to. */
  async changePasswordWithToken(
    accessToken: string,
    password: string,
    newPassword: string,
  ): Promise<true> {
    requireText({ accessToken, password, newPassword });
    await this.#once('ChangePassword', (o) =>
      this.#idp.send(
        new ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: password,
          ProposedPassword: newPassword,
        }),
        o,
      ),
    );
    return true;
  }

  /**
   * Answer NEW_PASSWORD_REQUIRED with a new password. `userAttributes` supplies the attributes
   * Cognito lists as required. Returns tokens, or the next challenge (MFA).
   */
  async respondToNewPasswordChallenge(
    username: string,
    session: string,
    newPassword: string,
    userAttributes: Record<string, string> = {},
    requiredAttributes: string[] = [],
  ): Promise<AuthResult> {
    requireText({ username, session, newPassword });
    const missing = requiredAttributes.filter((name) => !userAttributes[name]);
    if (missing.length > 0) {
      throw new InvalidParameterError(
        `the new password challenge needs these user attributes: ${missing.join(', ')}`,
      );
    }
    const responses: Record<string, string> = {
      USERNAME: username,
      NEW_PASSWORD: newPassword,
      ...this.#secretHashParam(username),
    };
    for (const [name, value] of Object.entries(userAttributes)) {
      responses[`userAttributes.${name}`] = value;
    }
    const output = await this.#once('RespondToAuthChallenge', (o) =>
      this.#idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: responses,
        }),
        o,
      ),
    );
    return this.#authResult(output, username, undefined, 'RespondToAuthChallenge');
  }

  /** Send a password-reset code to the user (ForgotPassword). Returns where it went. */
  async requestPasswordReset(username: string): Promise<CodeDelivery> {
    requireText({ username });
    const output = await this.#once('ForgotPassword', (o) =>
      this.#idp.send(
        new ForgotPasswordCommand({
          ClientId: this.clientId,
          Username: username,
          ...this.#secretHashField(username),
        }),
        o,
      ),
    );
    const details = output.CodeDeliveryDetails;
    return {
      deliveryMedium: details?.DeliveryMedium,
      destination: details?.Destination,
      attributeName: details?.AttributeName,
    };
  }

  /** Set a new password with the code from requestPasswordReset (ConfirmForgotPassword). */
  async forgotPassword(
    username: string,
    newPassword: string,
    confirmationCode: string,
  ): Promise<true> {
    requireText({ username, newPassword, confirmationCode });
    await this.#once('ConfirmForgotPassword', (o) =>
      this.#idp.send(
        new ConfirmForgotPasswordCommand({
          ClientId: this.clientId,
          Username: username,
          Password: newPassword,
          ConfirmationCode: confirmationCode,
          ...this.#secretHashField(username),
        }),
        o,
      ),
    );
    return true;
  }

  /**
   * Log in with a username and password (USER_PASSWORD_AUTH), or refresh with a refresh token
   * (REFRESH_TOKEN_AUTH; pass `username` too when the client has a secret). Returns tokens, or a
   * challenge (SOFTWARE_TOKEN_MFA, NEW_PASSWORD_REQUIRED) to answer.
   */
  async getTokens(input: LoginInput): Promise<AuthResult> {
    if ('refreshToken' in input) {
      requireText({ refreshToken: input.refreshToken });
      if (this.#clientSecret && !input.username) {
        throw new InvalidParameterError(
          'refreshing with a client secret needs the username (or sub) for SECRET_HASH',
        );
      }
      const params: Record<string, string> = {
        REFRESH_TOKEN: input.refreshToken,
        ...(input.username ? this.#secretHashParam(input.username) : {}),
      };
      const output = await this.#retried('InitiateAuth', (o) =>
        this.#idp.send(
          new InitiateAuthCommand({
            ClientId: this.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: params,
          }),
          o,
        ),
      );
      return this.#authResult(output, input.username ?? '', input.refreshToken, 'InitiateAuth');
    }
    requireText({ username: input.username, password: input.password });
    // A password login is never retried: each attempt counts against the user's limit.
    const output = await this.#once('InitiateAuth', (o) =>
      this.#idp.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: input.username,
            PASSWORD: input.password,
            ...this.#secretHashParam(input.username),
          },
        }),
        o,
      ),
    );
    return this.#authResult(output, input.username, undefined, 'InitiateAuth');
  }

  /** Answer a SOFTWARE_TOKEN_MFA challenge with a TOTP code. Returns tokens. */
  async respondToMfaChallenge(username: string, session: string, code: string): Promise<Tokens> {
    requireText({ username, session, code });
    const output = await this.#once('RespondToAuthChallenge', (o) =>
      this.#idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: session,
          ChallengeResponses: {
            USERNAME: username,
            SOFTWARE_TOKEN_MFA_CODE: code,
            ...this.#secretHashParam(username),
          },
        }),
        o,
      ),
    );
    const result = await this.#authResult(output, username, undefined, 'RespondToAuthChallenge');
    if ('challengeName' in result) {
      throw new UnexpectedResponseError(
        `RespondToAuthChallenge: Cognito asked for another challenge (${result.challengeName})`,
        { httpStatus: 502 },
      );
    }
    return result;
  }

  /** Revoke a refresh token and the tokens issued from it (RevokeToken). */
  async revokeRefreshToken(refreshToken: string): Promise<true> {
    requireText({ refreshToken });
    await this.#retried('RevokeToken', (o) =>
      this.#idp.send(
        new RevokeTokenCommand({
          ClientId: this.clientId,
          Token: refreshToken,
          ...(this.#clientSecret ? { ClientSecret: this.#clientSecret } : {}),
        }),
        o,
      ),
    );
    return true;
  }

  /** Start TOTP enrolment for the user an access token belongs to; returns the TOTP secret. */
  async associateSoftwareToken(accessToken: string): Promise<string> {
    requireText({ accessToken });
    const output = await this.#once('AssociateSoftwareToken', (o) =>
      this.#idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }), o),
    );
    if (!output.SecretCode) {
      throw new UnexpectedResponseError('AssociateSoftwareToken returned no secret', {
        httpStatus: 502,
      });
    }
    return output.SecretCode;
  }

  /** Finish TOTP enrolment with a code from the authenticator, and make TOTP the user's MFA. */
  async verifySoftwareToken(accessToken: string, code: string, deviceName?: string): Promise<true> {
    requireText({ accessToken, code });
    const output = await this.#once('VerifySoftwareToken', (o) =>
      this.#idp.send(
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
    await this.#once('SetUserMFAPreference', (o) =>
      this.#idp.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
        o,
      ),
    );
    return true;
  }

  /** The Cognito Identity id for the user an id token belongs to (GetId). */
  async getFederatedId(idToken: string): Promise<string> {
    requireText({ idToken });
    const identityPoolId = this.#require('identityPoolId', this.identityPoolId);
    const output = await this.#retried('GetId', (o) =>
      this.#identity.send(
        new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: this.#logins(idToken) }),
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
  async getFederatedCredentials(
    identityId: string,
    idToken: string,
  ): Promise<FederatedCredentials> {
    requireText({ identityId, idToken });
    const output = await this.#retried('GetCredentialsForIdentity', (o) =>
      this.#identity.send(
        new GetCredentialsForIdentityCommand({
          IdentityId: identityId,
          Logins: this.#logins(idToken),
        }),
        o,
      ),
    );
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
      throw new UnexpectedResponseError(
        'GetCredentialsForIdentity returned incomplete credentials',
        { httpStatus: 502 },
      );
    }
    // Expiration is on Cognito's clock: read it against the Date of the answer that carried it.
    const clock = answerClockOf(output);
    const expiration = onOurClock(new Date(c.Expiration).getTime(), clock);
    requireValidOnArrival(expiration, clock, 'GetCredentialsForIdentity', 'credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretKey: c.SecretKey,
      sessionToken: c.SessionToken,
      expiration: new Date(expiration),
    };
  }

  /**
   * SigV4 headers (`authorization`, `x-amz-date`, `x-amz-security-token`, `host`) for a request
   * to Scribe's API Gateway (service `execute-api`, this instance's region). Send the request to
   * the same URL with these headers and the same body.
   */
  async getSignatureForRequest(
    request: RequestToSign,
    credentials: FederatedCredentials,
  ): Promise<Record<string, string>> {
    const url = typeof request.url === 'string' ? parseUrl(request.url) : request.url;
    const body =
      typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    let query: Record<string, string | string[]>;
    try {
      query = parseQuery(url.search.slice(1));
    } catch (err) {
      throw new InvalidParameterError(`cannot sign ${url.pathname}: ${(err as Error).message}`);
    }
    return signOutgoingRequest(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        body,
      },
      {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretKey,
        sessionToken: credentials.sessionToken,
      },
      { region: this.region, service: 'execute-api' },
    );
  }

  #logins(idToken: string): Record<string, string> {
    const userPoolId = this.#require('userPoolId', this.userPoolId);
    return { [`cognito-idp.${this.region}.amazonaws.com/${userPoolId}`]: idToken };
  }

  #require(name: string, value: string | undefined): string {
    if (!value) throw new InvalidParameterError(`${name} is required for this operation`);
    return value;
  }

  #secretHashParam(username: string): Record<string, string> {
    return this.#clientSecret
      ? { SECRET_HASH: secretHash(username, this.clientId, this.#clientSecret) }
      : {};
  }

  #secretHashField(username: string): { SecretHash?: string } {
    return this.#clientSecret
      ? { SecretHash: secretHash(username, this.clientId, this.#clientSecret) }
      : {};
  }

  /** A call made once (state-changing, or counted against the user's attempts). */
  async #once<T>(operation: string, call: (options: CallOptions) => Promise<T>): Promise<T> {
    try {
      return await withinDeadline(this.#timeoutMs, call);
    } catch (err) {
      throw toScribeError(err, operation);
    }
  }

  /** An idempotent call, retried on throttling, 5xx and network faults. */
  #retried<T>(operation: string, call: (options: CallOptions) => Promise<T>): Promise<T> {
    return withRetry(this.#retry, () => this.#once(operation, call));
  }

  async #authResult(
    output: Pick<
      InitiateAuthCommandOutput,
      'AuthenticationResult' | 'ChallengeName' | 'Session'
    > & {
      ChallengeParameters?: Record<string, string> | undefined;
    },
    username: string,
    refreshToken: string | undefined,
    operation: string,
  ): Promise<AuthResult> {
    if (output.AuthenticationResult) {
      return tokensFrom(
        output.AuthenticationResult,
        refreshToken,
        operation,
        answerClockOf(output),
      );
    }
    const name = output.ChallengeName;
    const session = output.Session;
    if (!name || !session) {
      throw new UnexpectedResponseError(`${operation} returned neither tokens nor a challenge`, {
        httpStatus: 502,
      });
    }
    const challengeUser = output.ChallengeParameters?.['USER_ID_FOR_SRP'] || username;
    if (name === 'SELECT_MFA_TYPE') {
      return this.#selectSoftwareToken(output, challengeUser, session);
    }
    if (name === 'NEW_PASSWORD_REQUIRED') {
      const challenge: Challenge = { challengeName: name, session, username: challengeUser };
      const required = parseStringList(output.ChallengeParameters?.['requiredAttributes']).map(
        (a) => a.replace(/^userAttributes\./, ''),
      );
      if (required.length > 0) challenge.requiredAttributes = required;
      return challenge;
    }
    if (name === 'SOFTWARE_TOKEN_MFA') {
      return { challengeName: name, session, username: challengeUser };
    }
    throw unsupportedChallenge(name);
  }

  /** With both SMS and TOTP set up Cognito asks which to use: pick the authenticator app. */
  async #selectSoftwareToken(
    output: { ChallengeParameters?: Record<string, string> | undefined },
    username: string,
    session: string,
  ): Promise<AuthResult> {
    const choices = parseStringList(output.ChallengeParameters?.['MFAS_CAN_CHOOSE']);
    if (!choices.includes('SOFTWARE_TOKEN_MFA')) throw unsupportedChallenge('SELECT_MFA_TYPE');
    const next = await this.#once('RespondToAuthChallenge', (o) =>
      this.#idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.clientId,
          ChallengeName: 'SELECT_MFA_TYPE',
          Session: session,
          ChallengeResponses: {
            USERNAME: username,
            ANSWER: 'SOFTWARE_TOKEN_MFA',
            ...this.#secretHashParam(username),
          },
        }),
        o,
      ),
    );
    return this.#authResult(next, username, undefined, 'RespondToAuthChallenge');
  }
}

function tokensFrom(
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
 * match the tokens' own lifetime. Tokens not valid on arrival are refused.
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
  const expiresAt = Math.min(...times);
  requireValidOnArrival(expiresAt, clock, operation, 'tokens');
  return new Date(expiresAt);
}

function unsupportedChallenge(name: ChallengeNameType | string): ScribeAuthError {
  return new UnexpectedResponseError(
    `Cognito asked for the ${name} challenge, which scribe-proxy does not answer; ` +
      'use TOTP (authenticator app) MFA for this account',
    { httpStatus: 501 },
  );
}

function parseStringList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new InvalidParameterError('the request URL must be absolute (https://host/path)');
  }
}

function requireText(values: Record<string, string | undefined>): void {
  const missing = Object.entries(values)
    .filter(([, v]) => typeof v !== 'string' || v.length === 0)
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new InvalidParameterError(`missing or empty: ${missing.join(', ')}`);
  }
}
