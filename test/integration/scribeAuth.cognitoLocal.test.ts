import { expect } from 'chai';
import { generateSync } from 'otplib';
import {
  CodeMismatchError,
  InvalidParameterError,
  isChallenge,
  ScribeAuth,
  UnauthorizedError,
  type AuthResult,
  type Tokens,
} from '../../src/index.js';
import { CognitoLocal, type TestPool } from '../support/cognitoLocal.js';

function tokensOf(result: AuthResult): Tokens {
  if (isChallenge(result)) throw new Error(`unexpected challenge ${result.challengeName}`);
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('ScribeAuth against cognito-local (a real user pool)', function () {
  this.timeout(30_000);
  let cognito: CognitoLocal;
  let pool: TestPool;
  let auth: ScribeAuth;

  before(async function () {
    cognito = await CognitoLocal.start({ code: '424242' });
    pool = await cognito.createPool();
    auth = new ScribeAuth({
      clientId: pool.clientId,
      userPoolId: pool.userPoolId,
      endpoints: { cognitoIdentityProvider: cognito.endpoint },
    });
  });

  after(async function () {
    auth?.destroy();
    await cognito?.stop();
  });

  describe('first login with a temporary password', function () {
    before(async function () {
      await cognito.createUser(pool, 'newcomer', 'Temp-Passw0rd!', { temporary: true });
    });

    it('returns the NEW_PASSWORD_REQUIRED challenge instead of tokens', async function () {
      const result = await auth.getTokens({ username: 'newcomer', password: 'Temp-Passw0rd!' });
      expect(result).to.include({ challengeName: 'NEW_PASSWORD_REQUIRED', username: 'newcomer' });
      expect(result).to.have.property('session').that.is.a('string').and.not.empty;
    });

    it('changePassword answers the challenge, then the new password logs in', async function () {
      expect(await auth.changePassword('newcomer', 'Temp-Passw0rd!', 'Perm-Passw0rd!')).to.equal(
        true,
      );
      const tokens = tokensOf(
        await auth.getTokens({ username: 'newcomer', password: 'Perm-Passw0rd!' }),
      );
      expect(tokens.accessToken.split('.')).to.have.length(3);
      expect(tokens.expiresAt.getTime()).to.be.greaterThan(Date.now());
    });

    it('the old temporary password no longer works', async function () {
      const err = await rejection(
        auth.getTokens({ username: 'newcomer', password: 'Temp-Passw0rd!' }),
      );
      expect(err).to.be.instanceOf(UnauthorizedError);
      expect(err.cause).to.have.property('name', 'InvalidPasswordException');
    });
  });

  describe('a confirmed user', function () {
    before(async function () {
      await cognito.createUser(pool, 'alice', 'Alice-Passw0rd!');
    });

    it('changes the password with ChangePassword when no challenge is pending', async function () {
      await auth.changePassword('alice', 'Alice-Passw0rd!', 'Alice-Passw0rd2!');
      tokensOf(await auth.getTokens({ username: 'alice', password: 'Alice-Passw0rd2!' }));
      await auth.changePassword('alice', 'Alice-Passw0rd2!', 'Alice-Passw0rd!');
    });

    it('refreshes, revokes, and then the refresh token is refused', async function () {
      const login = tokensOf(
        await auth.getTokens({ username: 'alice', password: 'Alice-Passw0rd!' }),
      );
      const refreshed = tokensOf(await auth.getTokens({ refreshToken: login.refreshToken }));
      expect(refreshed.refreshToken).to.equal(login.refreshToken);
      expect(refreshed.idToken.split('.')).to.have.length(3);

      expect(await auth.revokeRefreshToken(login.refreshToken)).to.equal(true);
      const err = await rejection(auth.getTokens({ refreshToken: login.refreshToken }));
      expect(err).to.be.instanceOf(UnauthorizedError);
      expect((err as UnauthorizedError).httpStatus).to.equal(401);
      expect(err.message).to.match(/log in again/);
    });

    it('a wrong password is an UnauthorizedError that keeps the cause', async function () {
      const err = await rejection(auth.getTokens({ username: 'alice', password: 'nope' }));
      expect(err).to.be.instanceOf(UnauthorizedError);
      expect(err.cause).to.be.an('error');
      expect(err.message).to.not.include('nope');
    });

    it('empty inputs are refused before anything is sent', async function () {
      const err = await rejection(auth.getTokens({ username: '', password: 'x' }));
      expect(err).to.be.instanceOf(InvalidParameterError);
      expect(err.message).to.include('username');
    });
  });

  describe('forgotten password', function () {
    before(async function () {
      await cognito.createUser(pool, 'forgetful', 'Forget-Passw0rd!');
    });

    it('requestPasswordReset sends a code by email', async function () {
      const delivery = await auth.requestPasswordReset('forgetful');
      expect(delivery.deliveryMedium).to.equal('EMAIL');
    });

    it('a wrong code is a CodeMismatchError', async function () {
      const err = await rejection(auth.forgotPassword('forgetful', 'New-Passw0rd!', '000000'));
      expect(err).to.be.instanceOf(CodeMismatchError);
      expect((err as CodeMismatchError).httpStatus).to.equal(400);
    });

    it('forgotPassword with the code sets the new password', async function () {
      await auth.requestPasswordReset('forgetful');
      expect(await auth.forgotPassword('forgetful', 'New-Passw0rd!', '424242')).to.equal(true);
      tokensOf(await auth.getTokens({ username: 'forgetful', password: 'New-Passw0rd!' }));
    });
  });

  describe('TOTP MFA', function () {
    let secret: string;

    before(async function () {
      await cognito.createUser(pool, 'mfa-user', 'Mfa-Passw0rd!');
      const tokens = tokensOf(
        await auth.getTokens({ username: 'mfa-user', password: 'Mfa-Passw0rd!' }),
      );
      secret = await auth.associateSoftwareToken(tokens.accessToken);
      await auth.verifySoftwareToken(tokens.accessToken, generateSync({ secret }), 'test phone');
    });

    it('getTokens returns the SOFTWARE_TOKEN_MFA challenge', async function () {
      const result = await auth.getTokens({ username: 'mfa-user', password: 'Mfa-Passw0rd!' });
      expect(result).to.include({ challengeName: 'SOFTWARE_TOKEN_MFA', username: 'mfa-user' });
    });

    it('respondToMfaChallenge with a current code returns tokens', async function () {
      const challenge = await auth.getTokens({ username: 'mfa-user', password: 'Mfa-Passw0rd!' });
      if (!isChallenge(challenge)) throw new Error('expected a challenge');
      const tokens = await auth.respondToMfaChallenge(
        challenge.username,
        challenge.session,
        generateSync({ secret }),
      );
      expect(tokens.idToken.split('.')).to.have.length(3);
    });

    it('a wrong code is a CodeMismatchError', async function () {
      const challenge = await auth.getTokens({ username: 'mfa-user', password: 'Mfa-Passw0rd!' });
      if (!isChallenge(challenge)) throw new Error('expected a challenge');
      const current = generateSync({ secret });
      const wrong = current === '000000' ? '111111' : '000000';
      const err = await rejection(
        auth.respondToMfaChallenge(challenge.username, challenge.session, wrong),
      );
      expect(err).to.be.instanceOf(CodeMismatchError);
    });
  });
});
