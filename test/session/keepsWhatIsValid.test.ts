import { expect } from 'chai';
import {
  cognitoError,
  scriptCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session: what a failed refresh may destroy', function () {
  this.timeout(20_000);
  useScriptedCognito();

  async function loggedIn() {
    // Log in with a password first (2 s tokens), then make every refresh fail as scripted.
    let failure: [number, unknown] = [200, {}];
    const calls = scriptCognito((_operation, body) =>
      body['AuthFlow'] === 'USER_PASSWORD_AUTH' ? [200, tokensAnswer(1, 2, 'refresh-1')] : failure,
    );
    const savedTokens: Array<string | undefined> = [];
    const { session, auth } = scriptedSession({
      backoff: { baseMs: 4_000, maxMs: 8_000 },
      onRefreshToken: (token) => {
        savedTokens.push(token);
      },
    });
    await session.start();
    expect(await session.accessToken()).to.equal('access-1');
    await sleep(1_050); // inside the margin: the next request starts a refresh
    return {
      session,
      auth,
      calls,
      savedTokens,
      failWith: (next: [number, unknown]) => (failure = next),
    };
  }

  for (const [what, failure] of [
    ['a malformed reply', [200, '{"AuthenticationResult": 42']],
    ['an empty reply', [200, {}]],
    ['a WAF refusal (ForbiddenException)', [403, cognitoError('ForbiddenException', 'blocked')]],
    ['Cognito failing (500)', [500, cognitoError('InternalErrorException')]],
  ] as Array<[string, [number, unknown]]>) {
    it(`${what}: keeps the valid token and the refresh token, degraded, backing off`, async function () {
      const { session, auth, savedTokens, failWith } = await loggedIn();
      failWith(failure);
      expect(await session.accessToken()).to.equal('access-1');
      // The background refresh fails (the SDK's own retries of a 500 take a moment).
      for (let i = 0; i < 200 && session.state === 'ready'; i++) await sleep(25);
      expect(session.state).to.equal('degraded');
      expect(await session.accessToken()).to.equal('access-1');
      expect(savedTokens).to.deep.equal(['refresh-1']); // never dropped
      expect(session.status().nextAttemptAt).to.be.a('string');
      session.stop();
      auth.destroy();
    });
  }

  it('NotAuthorized on the refresh token drops it and logs in with the password', async function () {
    const { session, auth, calls, savedTokens, failWith } = await loggedIn();
    failWith([400, cognitoError('NotAuthorizedException', 'Refresh Token has been revoked')]);
    await session.accessToken();
    await sleep(100);
    // The password login got the same refresh token back: what is saved never changed.
    expect(savedTokens).to.deep.equal(['refresh-1']);
    expect(calls['InitiateAuth']).to.equal(3); // login, refused refresh, password login
    expect(session.state).to.equal('ready');
    session.stop();
    auth.destroy();
  });

  it('NotAuthorized on the refresh token with no password: needs-login, nothing retried', async function () {
    // Started from a refresh token Cognito refuses for good, with no password to fall back on.
    const calls = scriptCognito(() => [
      400,
      cognitoError('NotAuthorizedException', 'Refresh Token has expired'),
    ]);
    const savedTokens: Array<string | undefined> = [];
    const { session, auth } = scriptedSession({
      password: undefined,
      refreshToken: 'refresh-0',
      onRefreshToken: (token) => {
        savedTokens.push(token);
      },
    });
    await session.start();
    expect(session.state).to.equal('needs-login');
    expect(savedTokens).to.deep.equal([undefined]);
    await session.accessToken().catch(() => undefined);
    expect(calls['InitiateAuth']).to.equal(1);
    session.stop();
    auth.destroy();
  });
});
