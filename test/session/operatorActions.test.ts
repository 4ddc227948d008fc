import { expect } from 'chai';
import { OperatorActions, SessionConflictError } from '../../src/session/index.js';
import {
  cognitoError,
  scriptCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

describe('session: operator actions', function () {
  this.timeout(20_000);
  useScriptedCognito();

  it('a revoke Cognito refused keeps the token (it can be revoked again) and the session as it was', async function () {
    let revokeAnswer: [number, unknown] = [400, cognitoError('UnsupportedTokenTypeException')];
    const revoked: string[] = [];
    const calls = scriptCognito((operation, body) => {
      if (operation === 'RevokeToken') {
        revoked.push(String(body['Token']));
        return revokeAnswer;
      }
      return [200, tokensAnswer(1, 3600, 'refresh-1')];
    });
    const saved: Array<string | undefined> = [];
    const { session, auth } = scriptedSession({ onRefreshToken: (t) => void saved.push(t) });
    const actions = new OperatorActions(session);
    await session.start();
    const err = await actions.revoke().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(session.state).to.equal('ready');
    expect(await session.accessToken()).to.equal('access-1');
    expect(saved).to.deep.equal(['refresh-1']);
    revokeAnswer = [200, {}];
    const status = await actions.revoke();
    expect(revoked).to.deep.equal(['refresh-1', 'refresh-1']);
    expect(status.state).to.equal('ready'); // logged in again with the password
    expect(calls['InitiateAuth']).to.equal(2);
    session.stop();
    auth.destroy();
  });

  it('a login with a wrong password leaves the session and its configured password alone', async function () {
    scriptCognito((_operation, body) => {
      const params = body['AuthParameters'] as Record<string, string> | undefined;
      return params?.['PASSWORD'] === 'p'
        ? [200, tokensAnswer(1, 3600, 'refresh-1')]
        : [400, cognitoError('NotAuthorizedException', 'Incorrect username or password.')];
    });
    const { session, auth } = scriptedSession();
    const actions = new OperatorActions(session);
    await session.start();
    const err = await actions.login({ password: 'typo' }).catch((e: unknown) => e);
    expect((err as Error).name).to.equal('UnauthorizedError');
    expect(session.state).to.equal('ready');
    expect(session.usable()).to.equal(true);
    expect((await actions.login()).state).to.equal('ready');
    session.stop();
    auth.destroy();
  });

  it('an MFA answer with nothing pending is a conflict, not a Cognito call', async function () {
    const calls = scriptCognito(() => [200, tokensAnswer(1, 3600, 'refresh-1')]);
    const { session, auth } = scriptedSession();
    await session.start();
    const err = await new OperatorActions(session).answerMfa('123456').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(SessionConflictError);
    expect(calls['RespondToAuthChallenge']).to.equal(undefined);
    session.stop();
    auth.destroy();
  });
});
