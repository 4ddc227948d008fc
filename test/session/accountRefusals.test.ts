import { expect } from 'chai';
import {
  cognitoError,
  scriptCognito,
  scriptedSession,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const challenge = (name: string, parameters: Record<string, string> = {}): [number, unknown] => [
  200,
  { ChallengeName: name, Session: 'challenge-session', ChallengeParameters: parameters },
];

/** Answer every call; count only this suite's account's (another suite's session may call too). */
function ours(answer: () => [number, unknown]): Record<string, number> {
  const calls: Record<string, number> = {};
  scriptCognito((operation, body) => {
    const params = body['AuthParameters'] as Record<string, string> | undefined;
    if (params?.['USERNAME'] === 'odd-account') calls[operation] = (calls[operation] ?? 0) + 1;
    return answer();
  });
  return calls;
}

describe('session: a login the account refuses is not an outage (shared mode)', function () {
  this.timeout(20_000);
  useScriptedCognito();

  const cases: Array<[string, [number, unknown], string]> = [
    ['an SMS code', challenge('SMS_MFA'), 'mfa-unsupported'],
    ['an e-mailed code', challenge('EMAIL_OTP'), 'mfa-unsupported'],
    [
      'a choice of SMS or e-mail MFA (no authenticator app)',
      challenge('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["SMS_MFA","EMAIL_OTP"]' }),
      'mfa-unsupported',
    ],
    [
      'a 4xx it does not know (InvalidParameterException)',
      [400, cognitoError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled')],
      'login-refused',
    ],
  ];
  for (const [what, answer, state] of cases) {
    it(`Cognito asks for ${what}: ${state}, waiting for an operator, never tried again`, async function () {
      const calls = ours(() => answer);
      // Background refreshes on, with a backoff short enough that a retry would show at once.
      const { session, auth } = scriptedSession({
        username: 'odd-account',
        proactive: true,
        backoff: { baseMs: 10, maxMs: 20 },
      });
      await session.start();
      expect(session.state).to.equal(state);
      expect(session.status().lastError).to.be.a('string').and.not.equal('');
      // Requests do not try again either (each try may text the user a code).
      for (let i = 0; i < 5; i++) {
        await session.accessToken().catch(() => undefined);
        await sleep(60);
      }
      expect(calls['InitiateAuth']).to.equal(1);
      session.stop();
      auth.destroy();
    });
  }

  it('Cognito failing (500) is still an outage: unavailable, and tried again', async function () {
    const calls = ours(() => [500, cognitoError('InternalErrorException')]);
    const { session, auth } = scriptedSession({
      username: 'odd-account',
      proactive: true,
      backoff: { baseMs: 10, maxMs: 20 },
    });
    await session.start();
    expect(session.state).to.equal('unavailable');
    for (let i = 0; i < 50 && (calls['InitiateAuth'] ?? 0) < 2; i++) await sleep(20);
    expect(calls['InitiateAuth']).to.be.at.least(2);
    session.stop();
    auth.destroy();
  });
});
