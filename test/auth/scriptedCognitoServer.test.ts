import { expect } from 'chai';
import { ScribeAuth, isChallenge } from '../../src/index.js';
import { scribeAuthOn } from '../support/scriptedAuth.js';
import { ScriptedCognito } from '../support/scriptedCognitoServer.js';

describe('the scripted Cognito speaks what the AWS SDK speaks', function () {
  let cognito: ScriptedCognito;
  let auth: ScribeAuth;

  beforeEach(async function () {
    cognito = await new ScriptedCognito().start();
    cognito.addUser('Ann', 'Ann-Passw0rd!');
    auth = scribeAuthOn(cognito);
  });
  afterEach(async function () {
    auth.destroy();
    await cognito.stop();
  });

  it('logs in (names compare case-insensitively), refreshes and federates', async function () {
    const tokens = await auth.getTokens({ username: 'ann', password: 'Ann-Passw0rd!' });
    if (isChallenge(tokens)) throw new Error('unexpected challenge');
    const again = await auth.getTokens({ refreshToken: tokens.refreshToken });
    expect(again).to.have.property('accessToken');
    const id = await auth.getFederatedId(tokens.idToken);
    const credentials = await auth.getFederatedCredentials(id, tokens.idToken);
    expect(cognito.lookup(credentials.accessKeyId)?.secretAccessKey).to.equal(
      credentials.secretKey,
    );
    expect(cognito.count('InitiateAuth')).to.equal(2);
    expect(cognito.count('InitiateAuth/REFRESH_TOKEN_AUTH')).to.equal(1);
    expect(cognito.count()).to.equal(4);
  });

  it('asks for the challenge a test bends a login into', async function () {
    cognito.bend('InitiateAuth', { kind: 'challenge', name: 'NEW_PASSWORD_REQUIRED' }, 1);
    const result = await auth.getTokens({ username: 'Ann', password: 'Ann-Passw0rd!' });
    expect(result).to.include({ challengeName: 'NEW_PASSWORD_REQUIRED', username: 'Ann' });
    const plain = await auth.getTokens({ username: 'Ann', password: 'Ann-Passw0rd!' });
    expect(isChallenge(plain)).to.equal(false);
  });

  it('answers an error a test scripts, with its Cognito name', async function () {
    cognito.bend('InitiateAuth', { kind: 'error', type: 'InvalidParameterException' });
    const err = await auth
      .getTokens({ username: 'Ann', password: 'Ann-Passw0rd!' })
      .catch((e: unknown) => e);
    expect(err).to.have.property('cognitoName', 'InvalidParameterException');
  });
});
