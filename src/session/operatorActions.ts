import { generateURI } from 'otplib';
import type { AuthResult, CodeDelivery } from '../auth/index.js';
import { ChallengePending, SessionConflictError } from './errors.js';
import { challengeState } from './refreshPolicy.js';
import type { Session } from './Session.js';
import type { SessionStatus } from './types.js';

/**
 * What an operator can do to a session (through the admin API or the CLI): log in, answer MFA,
 * set or reset the password, revoke. Each runs alone (no refresh interleaves), is never retried
 * automatically, and replaces the session only when it succeeds: a typo never takes a working
 * proxy down.
 */
export class OperatorActions {
  #pending: { username?: string; password?: string } | undefined;

  constructor(private readonly session: Session) {}

  /** Log in with the given (else the configured) username and password, beside the session. */
  login(
    input: { username?: string | undefined; password?: string | undefined } = {},
  ): Promise<SessionStatus> {
    const { data, auth } = this.session;
    return this.session.refresher.flight.exclusive(async () => {
      const username = input.username ?? data.username;
      const password = input.password ?? data.password;
      if (!username || !password) {
        throw new SessionConflictError(
          'no username and password: send them, or configure SCRIBE_USERNAME and SCRIBE_PASSWORD',
        );
      }
      return this.#finish(await auth.getTokens({ username, password }), { username, password });
    });
  }

  /** Answer the pending MFA challenge with a TOTP code. */
  answerMfa(code: string): Promise<SessionStatus> {
    const { data, auth } = this.session;
    return this.session.refresher.flight.exclusive(async () => {
      const challenge = data.challenge;
      if (challenge?.challengeName !== 'SOFTWARE_TOKEN_MFA') {
        throw new SessionConflictError(
          `no MFA challenge is pending (the session is ${data.state})`,
        );
      }
      const tokens = await auth.respondToMfaChallenge(challenge.username, challenge.session, code);
      return this.#finish(tokens, this.#pendingLogin());
    });
  }

  /**
   * Set a new password: answers a pending NEW_PASSWORD_REQUIRED, or changes the logged-in user's
   * password (with `currentPassword`, else the configured one). The session goes on with it.
   */
  setPassword(newPassword: string, currentPassword?: string): Promise<SessionStatus> {
    const { data, auth } = this.session;
    return this.session.refresher.flight.exclusive(async () => {
      const challenge = data.challenge;
      if (challenge?.challengeName === 'NEW_PASSWORD_REQUIRED') {
        const result = await auth.respondToNewPasswordChallenge(
          challenge.username,
          challenge.session,
          newPassword,
          {},
          challenge.requiredAttributes,
        );
        await this.#finish(result, { ...this.#pendingLogin(), password: newPassword });
        this.#passwordChanged(newPassword);
        return this.session.status();
      }
      const tokens = data.tokens;
      if (!tokens || tokens.expiresAt <= Date.now()) {
        throw new SessionConflictError(`log in first (the session is ${data.state})`);
      }
      const current = currentPassword ?? data.password;
      if (!current) throw new SessionConflictError('send the current password as "password"');
      await auth.changePasswordWithToken(tokens.value.accessToken, current, newPassword);
      this.#passwordChanged(newPassword);
      return this.session.status();
    });
  }

  /**
   * Start TOTP MFA set-up for the logged-in user: the secret for an authenticator app, and the
   * `otpauth://` URI a phone scans. Nothing changes until `verifyMfaSetup` gets a code.
   */
  startMfaSetup(): Promise<{ username: string; secret: string; otpauthUri: string }> {
    return this.session.refresher.flight.exclusive(async () => {
      const { accessToken, username } = this.#loggedIn();
      const secret = await this.session.auth.associateSoftwareToken(accessToken);
      const otpauthUri = generateURI({ issuer: 'Scribe', label: username, secret });
      return { username, secret, otpauthUri };
    });
  }

  /** Finish MFA set-up with a code from the app; from then on a password login asks for a code. */
  verifyMfaSetup(code: string, deviceName = 'scribe-proxy'): Promise<SessionStatus> {
    return this.session.refresher.flight.exclusive(async () => {
      const { accessToken } = this.#loggedIn();
      await this.session.auth.verifySoftwareToken(accessToken, code, deviceName);
      return this.session.status();
    });
  }

  /** The access token and user of a session that is logged in now, else a conflict. */
  #loggedIn(): { accessToken: string; username: string } {
    const { data } = this.session;
    const tokens = data.tokens;
    if (!tokens || tokens.expiresAt <= Date.now() || !data.username) {
      throw new SessionConflictError(`log in first (the session is ${data.state})`);
    }
    return { accessToken: tokens.value.accessToken, username: data.username };
  }

  /** Send a password-reset code to the session's user (or `username`). */
  requestPasswordReset(username?: string): Promise<CodeDelivery> {
    const user = username ?? this.session.data.username;
    if (!user) throw new SessionConflictError('send the username: none is configured');
    return this.session.auth.requestPasswordReset(user);
  }

  /** Confirm a reset with its code; for the session's own user, the session logs in with it. */
  async confirmPasswordReset(
    code: string,
    newPassword: string,
    username?: string,
  ): Promise<SessionStatus> {
    const { data, auth } = this.session;
    const user = username ?? data.username;
    if (!user) throw new SessionConflictError('send the username: none is configured');
    await auth.forgotPassword(user, newPassword, code);
    if (user !== data.username) return this.session.status();
    return this.session.refresher.flight.exclusive(async () => {
      this.#passwordChanged(newPassword);
      if (this.session.usable()) return this.session.status();
      const result = await auth.getTokens({ username: user, password: newPassword });
      return this.#finish(result, { username: user, password: newPassword });
    });
  }

  /**
   * Revoke the refresh token at Cognito, then forget everything the session holds (federated
   * credentials stay valid at AWS until they expire, so they must not be used again) and log in
   * again with the password, if there is one (unless `logInAgain` is false: a session revoked
   * to be evicted). A revoke Cognito refused changes nothing: the token is kept so it can be
   * revoked again, and the error says why.
   */
  revoke(options: { logInAgain?: boolean } = {}): Promise<SessionStatus> {
    const { data, auth, refresher } = this.session;
    return refresher.flight.exclusive(async () => {
      const token = data.refreshToken;
      if (token) await auth.revokeRefreshToken(token);
      await refresher.forget('the refresh token was revoked; log in again');
      const logInAgain = options.logInAgain ?? true;
      if (logInAgain && data.username && data.password) await refresher.refreshDue();
      return this.session.status();
    });
  }

  /** The login a pending challenge belongs to (none: the session's own). */
  #pendingLogin(): { username?: string; password?: string } {
    return this.#pending ?? {};
  }

  /** Adopt a login's tokens; a challenge is kept for the operator to answer next. */
  async #finish(
    result: AuthResult,
    login: { username?: string; password?: string },
  ): Promise<SessionStatus> {
    const { refresher, data } = this.session;
    try {
      await refresher.adopt(await refresher.settle(result), login);
      this.#pending = undefined;
    } catch (err) {
      if (!(err instanceof ChallengePending)) throw err;
      this.#pending = login;
      data.challenge = err.challenge;
      data.lastError = err.message;
      // A session that still serves goes on serving while the operator answers.
      if (!this.session.usable()) {
        data.state = challengeState(err.challenge.challengeName);
        refresher.plan();
      }
    }
    return this.session.status();
  }

  /** The password is now `password`; warn when that leaves SCRIBE_PASSWORD stale. */
  #passwordChanged(password: string): void {
    const { data } = this.session;
    data.password = password;
    if (data.configuredPassword !== undefined && password !== data.configuredPassword) {
      this.session.refresher.log(
        'configured-password-stale',
        'the password was changed here: update SCRIBE_PASSWORD, or the next start logs in with the old one',
      );
    }
  }
}
