import { expect } from 'chai';
import { ScribeAuth, UnexpectedResponseError, isChallenge } from '../../src/index.js';
import { clockOffset, requireValidOnArrival } from '../../src/auth/answerClock.js';
import { scribeAuthOn } from '../support/scriptedAuth.js';
import { ScriptedCognito } from '../support/scriptedCognitoServer.js';

const hour = 3_600_000;

describe("ScribeAuth: expiry read on Cognito's clock, and refused when past on arrival", function () {
  let cognito: ScriptedCognito;
  let auth: ScribeAuth;

  beforeEach(async function () {
    cognito = await new ScriptedCognito().start();
    cognito.addUser('ann', 'Ann-Passw0rd!');
    auth = scribeAuthOn(cognito);
  });
  afterEach(async function () {
    auth.destroy();
    await cognito.stop();
  });

  async function login() {
    const result = await auth.getTokens({ username: 'ann', password: 'Ann-Passw0rd!' });
    if (isChallenge(result)) throw new Error('unexpected challenge');
    return result;
  }

  for (const offset of [-2 * hour, 2 * hour, 90_000]) {
    it(`Cognito's clock ${offset / 60_000} min from ours: an hour's tokens and credentials expire in an hour here`, async function () {
      cognito.clockOffsetMs = offset;
      const tokens = await login();
      const id = await auth.getFederatedId(tokens.idToken);
      const credentials = await auth.getFederatedCredentials(id, tokens.idToken);
      for (const at of [tokens.expiresAt, credentials.expiration]) {
        expect(at.getTime() - Date.now()).to.be.within(hour - 5_000, hour + 1_000);
      }
    });
  }

  it('clocks that agree within 2 s are left as they are; beyond, the middle of the Date second', function () {
    expect(clockOffset(10_900, 10_000)).to.equal(0);
    expect(clockOffset(10_000, 11_999)).to.equal(0);
    expect(clockOffset(7_200_000, 0)).to.equal(7_199_500);
    expect(clockOffset(0, 7_200_000)).to.equal(-7_200_500);
  });

  it('an expiry that cannot be read (ExpiresIn not a number) says so, not "already expired"', function () {
    const clock = { arrivedAt: Date.now(), offsetMs: 0 };
    expect(() => requireValidOnArrival(Number.NaN, clock, 'InitiateAuth', 'tokens'))
      .to.throw(UnexpectedResponseError)
      .with.property('message')
      .that.matches(/an expiry that cannot be read/);
    expect(() => requireValidOnArrival(clock.arrivedAt - 1, clock, 'InitiateAuth', 'tokens'))
      .to.throw(UnexpectedResponseError)
      .with.property('message')
      .that.matches(/already expired/);
  });

  it('tokens already expired on arrival are an UnexpectedResponseError', async function () {
    cognito.bend('InitiateAuth', { kind: 'expired' });
    const err = await login().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UnexpectedResponseError);
    expect((err as Error).message).to.include('already expired');
  });

  it('credentials already expired on arrival are an UnexpectedResponseError, not retried', async function () {
    const tokens = await login();
    cognito.bend('GetCredentialsForIdentity', { kind: 'expired' });
    const err = await auth.getFederatedCredentials('eu-west-2:x', tokens.idToken).catch((e) => e);
    expect(err).to.be.instanceOf(UnexpectedResponseError);
    expect(cognito.count('GetCredentialsForIdentity')).to.equal(1);
  });
});
