import { CognitoCalls } from './cognitoCalls.js';
import { getFederatedCredentials, getFederatedId } from './federation.js';
import { getTokens, respondToMfaChallenge, respondToNewPasswordChallenge } from './login.js';
import {
  changePassword,
  changePasswordWithToken,
  forgotPassword,
  requestPasswordReset,
} from './passwords.js';
import { getSignatureForRequest } from './requestSigning.js';
import { associateSoftwareToken, revokeRefreshToken, verifySoftwareToken } from './tokens.js';
import type {
  AuthResult,
  CodeDelivery,
  FederatedCredentials,
  LoginInput,
  RequestToSign,
  ScribeAuthOptions,
  Tokens,
} from './types.js';

/**
 * Scribe's Cognito login, federated credentials and request signing: a camelCase mirror of the
 * `scribeauth` Python library, with typed errors that keep Cognito's cause. Each operation lives
 * in the file for what it does (login.ts, passwords.ts, tokens.ts, federation.ts,
 * requestSigning.ts); every Cognito call goes through one CognitoCalls (its deadline, retries
 * and error mapping).
 */
export class ScribeAuth {
  readonly clientId: string;
  readonly userPoolId: string | undefined;
  readonly identityPoolId: string | undefined;
  readonly region: string;
  readonly #calls: CognitoCalls;

  constructor(options: ScribeAuthOptions | string) {
    this.#calls = new CognitoCalls(typeof options === 'string' ? { clientId: options } : options);
    this.clientId = this.#calls.clientId;
    this.userPoolId = this.#calls.userPoolId;
    this.identityPoolId = this.#calls.identityPoolId;
    this.region = this.#calls.region;
  }

  /** Release the HTTP agents behind the Cognito clients. */
  destroy(): void {
    this.#calls.destroy();
  }

  /**
   * Change a user's password. Signs in with the current one; when Cognito asks for a new
   * password (a temporary password), answers that challenge, otherwise calls ChangePassword.
   */
  changePassword(
    username: string,
    password: string,
    newPassword: string,
    userAttributes: Record<string, string> = {},
  ): Promise<true> {
    return changePassword(this.#calls, username, password, newPassword, userAttributes);
  }

  /** Change the password of the user an access token belongs to. */
  changePasswordWithToken(
    accessToken: string,
    password: string,
    newPassword: string,
  ): Promise<true> {
    return changePasswordWithToken(this.#calls, accessToken, password, newPassword);
  }

  /**
   * Answer NEW_PASSWORD_REQUIRED with a new password. `userAttributes` supplies the attributes
   * Cognito lists as required. Returns tokens, or the next challenge (MFA).
   */
  respondToNewPasswordChallenge(
    username: string,
    session: string,
    newPassword: string,
    userAttributes: Record<string, string> = {},
    requiredAttributes: string[] = [],
  ): Promise<AuthResult> {
    return respondToNewPasswordChallenge(
      this.#calls,
      username,
      session,
      newPassword,
      userAttributes,
      requiredAttributes,
    );
  }

  /** Send a password-reset code to the user (ForgotPassword). Returns where it went. */
  requestPasswordReset(username: string): Promise<CodeDelivery> {
    return requestPasswordReset(this.#calls, username);
  }

  /** Set a new password with the code from requestPasswordReset (ConfirmForgotPassword). */
  forgotPassword(username: string, newPassword: string, confirmationCode: string): Promise<true> {
    return forgotPassword(this.#calls, username, newPassword, confirmationCode);
  }

  /**
   * Log in with a username and password (USER_PASSWORD_AUTH), or refresh with a refresh token
   * (REFRESH_TOKEN_AUTH; pass `username` too when the client has a secret). Returns tokens, or a
   * challenge (SOFTWARE_TOKEN_MFA, NEW_PASSWORD_REQUIRED) to answer.
   */
  getTokens(input: LoginInput): Promise<AuthResult> {
    return getTokens(this.#calls, input);
  }

  /** Answer a SOFTWARE_TOKEN_MFA challenge with a TOTP code. Returns tokens. */
  respondToMfaChallenge(username: string, session: string, code: string): Promise<Tokens> {
    return respondToMfaChallenge(this.#calls, username, session, code);
  }

  /** Revoke a refresh token and the tokens issued from it (RevokeToken). */
  revokeRefreshToken(refreshToken: string): Promise<true> {
    return revokeRefreshToken(this.#calls, refreshToken);
  }

  /** Start TOTP enrolment for the user an access token belongs to; returns the TOTP secret. */
  associateSoftwareToken(accessToken: string): Promise<string> {
    return associateSoftwareToken(this.#calls, accessToken);
  }

  /** Finish TOTP enrolment with a code from the authenticator, and make TOTP the user's MFA. */
  verifySoftwareToken(accessToken: string, code: string, deviceName?: string): Promise<true> {
    return verifySoftwareToken(this.#calls, accessToken, code, deviceName);
  }

  /** The Cognito Identity id for the user an id token belongs to (GetId). */
  getFederatedId(idToken: string): Promise<string> {
    return getFederatedId(this.#calls, idToken);
  }

  /** Temporary AWS credentials for an identity (GetCredentialsForIdentity). */
  getFederatedCredentials(identityId: string, idToken: string): Promise<FederatedCredentials> {
    return getFederatedCredentials(this.#calls, identityId, idToken);
  }

  /**
   * SigV4 headers (`authorization`, `x-amz-date`, `x-amz-security-token`, `host`) for a request
   * to Scribe's API Gateway (service `execute-api`, this instance's region). Send the request to
   * the same URL with these headers and the same body.
   */
  getSignatureForRequest(
    request: RequestToSign,
    credentials: FederatedCredentials,
  ): Promise<Record<string, string>> {
    return getSignatureForRequest(this.region, request, credentials);
  }
}
