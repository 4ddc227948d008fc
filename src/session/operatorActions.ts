import type { AuthResult, CodeDelivery } from '../auth/index.js';
import { ChallengePending, SessionConflictError } from './errors.js';
import { challengeState } from './refreshPolicy.js';
import type { Session } from './Session.js';
import { changed, signingHeld, type SessionChange, type SessionData } from './sessionData.js';
import { isValid } from './held.js';
import type { SessionStatus } from './types.js';

/**
 * What an operator can do to a session (through the admin API or the CLI): log in, answer MFA,
 * set or reset the password, revoke. Each runs alone (no refresh interleaves), is never retried
 * automatically, and replaces the session only when it succeeds: a typo never takes a working
 * proxy down. Each returns what should change, and the session applies it (Session.act).
 */
export class OperatorActions {
  #pending: { username?: string; password?: string } | undefined;

  constructor(private readonly session: Session) {}

  /** Log in with the given (else the configured) username and password, beside the session. */
  login(
    input: { username?: string | undefined; password?: string | undefined } = {},
  ): Promise<SessionStatus> {
    return this.session.act(async (data) => {
      const username = input.username ?? data.username;
      const password = input.password ?? data.password;
      if (!username || !password) {
        throw new SessionConflictError(
          'no username and password: send them, or configure SCRIBE_USERNAME and SCRIBE_PASSWORD',
        );
      }
      const result = await this.session.auth.getTokens({ username, password });
      return this.#finish(data, result, { username, password });
    });
  }

  /** Answer the pending MFA challenge with a TOTP code. */
  answerMfa(code: string): Promise<SessionStatus> {
    return this.session.act(async (data) => {
      const challenge = data.challenge;
      if (challenge?.challengeName !== 'SOFTWARE_TOKEN_MFA') {
        throw new SessionConflictError(
          `no MFA challenge is pending (the session is ${data.state})`,
        );
      }
      const tokens = await this.session.auth.respondToMfaChallenge(
        challenge.username,
        challenge.session,
        code,
      );
      return this.#finish(data, tokens, this.#pendingLogin());
    });
  }

  /**
   * Set a new password: answers a pending NEW_PASSWORD_REQUIRED, or changes the logged-in user's
   * password (with `currentPassword`, else the configured one). The session goes on with it.
   */
  setPassword(newPassword: string, currentPassword?: string): Promise<SessionStatus> {
    const { auth } = this.session;
    return this.session.act(async (data) => {
      const challenge = data.challenge;
      if (challenge?.challengeName === 'NEW_PASSWORD_REQUIRED') {
        const result = await auth.respondToNewPasswordChallenge(
          challenge.username,
          challenge.session,
          newPassword,
          {},
          challenge.requiredAttributes,
        );
        const login = { ...this.#pendingLogin(), password: newPassword };
        const change = await this.#finish(data, result, login);
        return { ...change, ...this.#passwordChanged(changed(data, change), newPassword) };
      }
      const tokens = data.tokens;
      if (!tokens || tokens.expiresAt <= Date.now()) {
        throw new SessionConflictError(`log in first (the session is ${data.state})`);
      }
      const current = currentPassword ?? data.password;
      if (!current) throw new SessionConflictError('send the current password as "password"');
      await auth.changePasswordWithToken(tokens.value.accessToken, current, newPassword);
      return this.#passwordChanged(data, newPassword);
    });
  }

  /**
   * Start TOTP MFA set-up for the logged-in user: the secret for an authenticator app, and the
   * `otpauth://` URI a phone scans. Nothing changes until `verifyMfaSetup` gets a code.
   */
  async startMfaSetup(): Promise<{ username: string; secret: string; otpauthUri: string }> {
    let setup: { username: string; secret: string; otpauthUri: string } | undefined;
    // Alone (no refresh interleaves); the session itself does not change.
    await this.session.act(async () => {
      const { accessToken, username } = this.#loggedIn();
      const secret = await this.session.auth.associateSoftwareToken(accessToken);
      setup = {
        username,
        secret,
        // otplib is loaded when an MFA set-up needs it, not by every session.
        otpauthUri: (await import('otplib')).generateURI({
          issuer: 'Scribe',
          label: username,
          secret,
        }),
      };
      return {};
    });
    return setup as { username: string; secret: string; otpauthUri: string };
  }

  /** Finish MFA set-up with a code from the app; from then on a password login asks for a code. */
  verifyMfaSetup(code: string, deviceName = 'scribe-proxy'): Promise<SessionStatus> {
    return this.session.act(async () => {
      const { accessToken } = this.#loggedIn();
      await this.session.auth.verifySoftwareToken(accessToken, code, deviceName);
      return {};
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
    const { auth } = this.session;
    const user = username ?? this.session.data.username;
    if (!user) throw new SessionConflictError('send the username: none is configured');
    await auth.forgotPassword(user, newPassword, code);
    if (user !== this.session.data.username) return this.session.status();
    // Cognito has the new password now: the session keeps it even if the login below fails.
    await this.session.act(async (data) => this.#passwordChanged(data, newPassword));
    if (this.session.usable()) return this.session.status();
    return this.session.act(async (data) => {
      const result = await auth.getTokens({ username: user, password: newPassword });
      return this.#finish(data, result, { username: user, password: newPassword });
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
    const { auth, refresher } = this.session;
    return this.session.act(async (data) => {
      const token = data.refreshToken;
      if (token) await auth.revokeRefreshToken(token);
      const forgotten = refresher.forget('the refresh token was revoked; log in again');
      const after = changed(data, forgotten);
      const logInAgain = options.logInAgain ?? true;
      if (!logInAgain || !after.username || !after.password) return forgotten;
      return { ...forgotten, ...(await refresher.refreshDue(after)) };
    });
  }

  /** The login a pending challenge belongs to (none: the session's own). */
  #pendingLogin(): { username?: string; password?: string } {
    return this.#pending ?? {};
  }

  /** Adopt a login's tokens; a challenge is kept for the operator to answer next. */
  async #finish(
    data: Readonly<SessionData>,
    result: AuthResult,
    login: { username?: string; password?: string },
  ): Promise<SessionChange> {
    const { refresher, mode } = this.session;
    try {
      const change = await refresher.adopt(data, await refresher.settle(result), login);
      this.#pending = undefined;
      return change;
    } catch (err) {
      if (!(err instanceof ChallengePending)) throw err;
      this.#pending = login;
      const change: SessionChange = { challenge: err.challenge, lastError: err.message };
      // A session that still serves goes on serving while the operator answers.
      if (!isValid(signingHeld(data, mode), Date.now())) {
        change.state = challengeState(err.challenge.challengeName);
      }
      return change;
    }
  }

  /** The password is now `password`; warn when that leaves SCRIBE_PASSWORD stale. */
  #passwordChanged(data: Readonly<SessionData>, password: string): SessionChange {
    if (data.configuredPassword !== undefined && password !== data.configuredPassword) {
      this.session.refresher.log(
        'configured-password-stale',
        'the password was changed here: update SCRIBE_PASSWORD, or the next start logs in with the old one',
      );
    }
    return { password };
  }
}
