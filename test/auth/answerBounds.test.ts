import { expect } from 'chai';
import { UnsecuredJWT } from 'jose';
import { ScribeAuth, UnexpectedResponseError, isChallenge } from '../../src/index.js';
import { scribeAuthOn } from '../support/scriptedAuth.js';
import { ScriptedCognito } from '../support/scriptedCognitoServer.js';

const hour = 3_600_000;
const year = 365 * 24 * hour;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** A login answer whose tokens carry `exp` (epoch s) and whose ExpiresIn is `expiresIn`. */
function tokensAnswer(exp: number, expiresIn: number): string {
  const issued = seconds(Date.now());
  const jwt = (use: string) =>
    new UnsecuredJWT({ sub: 'ann', token_use: use })
      .setIssuedAt(issued)
      .setExpirationTime(exp)
      .encode();
  return JSON.stringify({
    AuthenticationResult: {
      AccessToken: jwt('access'),
      IdToken: jwt('id'),
      RefreshToken: 'refresh',
      ExpiresIn: expiresIn,
      TokenType: 'Bearer',
    },
  });
}

/** A GetCredentialsForIdentity answer expiring at `expiration` (epoch s). */
function credentialsAnswer(expiration: number): string {
  return JSON.stringify({
    IdentityId: 'eu-west-2:x',
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretKey: 'secret',
      SessionToken: 'session',
      Expiration: expiration,
    },
  });
}

describe('ScribeAuth: what Cognito sends is bounded (lifetimes, answer size)', function () {
  let cognito: ScriptedCognito;
  let auth: ScribeAuth;

  beforeEach(async function () {
    cognito = await new ScriptedCognito().start();
    cognito.addUser('ann', 'Ann-Passw0rd!');
    auth = scribeAuthOn(cognito, {
      retry: { attempts: 1 },
    });
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

  it('credentials whose Expiration is ten years away are used for an hour at most', async function () {
    const body = credentialsAnswer(seconds(Date.now() + 10 * year));
    cognito.bend('GetCredentialsForIdentity', { kind: 'raw', status: 200, body });
    const credentials = await auth.getFederatedCredentials('eu-west-2:x', 'id-token');
    expect(credentials.expiration.getTime() - Date.now()).to.be.at.most(hour);
  });

  it('a Date header years behind the times it carries (a garbled clock) never makes credentials last years', async function () {
    const body = credentialsAnswer(seconds(Date.now() + hour));
    const headers = { date: 'Mon, 01 Jan 2001 00:00:00 GMT' };
    cognito.bend('GetCredentialsForIdentity', { kind: 'raw', status: 200, body, headers });
    const credentials = await auth.getFederatedCredentials('eu-west-2:x', 'id-token');
    expect(credentials.expiration.getTime() - Date.now()).to.be.at.most(hour);
  });

  for (const date of ['3000', 'nonsense', '']) {
    it(`a Date header that is no HTTP date ("${date}") is ignored: credentials for an hour are used for an hour`, async function () {
      const body = credentialsAnswer(seconds(Date.now() + hour));
      cognito.bend('GetCredentialsForIdentity', {
        kind: 'raw',
        status: 200,
        body,
        headers: { date },
      });
      const credentials = await auth.getFederatedCredentials('eu-west-2:x', 'id-token');
      expect(credentials.expiration.getTime() - Date.now()).to.be.within(hour - 5_000, hour);
    });
  }

  it('tokens with an ExpiresIn of 1e12 and an exp ten years away are used for a day at most', async function () {
    const body = tokensAnswer(seconds(Date.now() + 10 * year), 1e12);
    cognito.bend('InitiateAuth', { kind: 'raw', status: 200, body });
    const tokens = await login();
    expect(tokens.expiresAt.getTime() - Date.now()).to.be.at.most(24 * hour);
  });

  it('an answer larger than any Cognito sends (5 MB) is refused, not read whole', async function () {
    const body = tokensAnswer(seconds(Date.now() + hour), 3600) + ' '.repeat(5_000_000);
    cognito.bend('InitiateAuth', { kind: 'raw', status: 200, body });
    const err = await login().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UnexpectedResponseError);
    expect((err as Error).message).to.match(/TooLarge/);
  });

  for (const status of [200, 400]) {
    it(`an answer that is no JSON (${status}) fails without quoting its body: it may hold anything`, async function () {
      const body = 'sid=3f9a1c0b7d';
      cognito.bend('InitiateAuth', {
        kind: 'raw',
        status,
        body,
        headers: { 'content-type': 'text/plain' },
      });
      const err = await login().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(Error);
      expect((err as Error).message).to.include('InitiateAuth failed');
      expect((err as Error).message).not.to.include('3f9a1c0b7d');
    });
  }

  it('an answer of a normal size still reads (the bound leaves real answers alone)', async function () {
    const tokens = await login();
    expect(tokens.expiresAt.getTime() - Date.now()).to.be.within(hour - 5_000, hour + 1_000);
  });
});
