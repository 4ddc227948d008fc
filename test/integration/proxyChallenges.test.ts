import { expect } from 'chai';
import { generateSync } from 'otplib';
import { isChallenge, ScribeAuth } from '../../src/index.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('the proxy when Cognito asks for more than a password', function () {
  this.timeout(60_000);
  let world: World;
  let secret: string;

  before(async function () {
    world = await World.start();
    await world.cognito.createUser(world.pool, 'mfa-proxy', 'Mfa-Proxy-Passw0rd!');
    await world.cognito.createUser(world.pool, 'temp-proxy', 'Temp-Proxy-Passw0rd!', {
      temporary: true,
    });
    const auth = new ScribeAuth({
      clientId: world.pool.clientId,
      endpoints: { cognitoIdentityProvider: world.cognito.endpoint },
    });
    const login = await auth.getTokens({ username: 'mfa-proxy', password: 'Mfa-Proxy-Passw0rd!' });
    if (isChallenge(login)) throw new Error('unexpected challenge');
    secret = await auth.associateSoftwareToken(login.accessToken);
    await auth.verifySoftwareToken(login.accessToken, generateSync({ secret }));
    auth.destroy();
  });
  after(async function () {
    await world?.stop();
  });

  it('answers TOTP MFA unattended with SCRIBE_MFA_SECRET', async function () {
    const { service } = await world.proxy({
      SCRIBE_USERNAME: 'mfa-proxy',
      SCRIBE_PASSWORD: 'Mfa-Proxy-Passw0rd!',
      SCRIBE_MFA_SECRET: secret,
    });
    expect(service.session?.state).to.equal('ready');
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    await service.close(1000);
  });

  it('without the secret: mfa-required, 503 and /readyz 503 saying what to do', async function () {
    const { service } = await world.proxy({
      SCRIBE_USERNAME: 'mfa-proxy',
      SCRIBE_PASSWORD: 'Mfa-Proxy-Passw0rd!',
    });
    const answer = await call(service.proxyUrl, { path: '/x' });
    expect(answer.status).to.equal(503);
    expect(answer.body.toString()).to.include('MFA');
    const ready = await call(service.adminUrl, { path: '/readyz' });
    expect(ready.status).to.equal(503);
    expect(ready.json()).to.include({ state: 'mfa-required' });
    expect(ready.body.toString()).to.not.include(secret);
    await service.close(1000);
  });

  it('with a temporary password: new-password-required', async function () {
    const { service } = await world.proxy({
      SCRIBE_USERNAME: 'temp-proxy',
      SCRIBE_PASSWORD: 'Temp-Proxy-Passw0rd!',
    });
    const ready = await call(service.adminUrl, { path: '/readyz' });
    expect(ready.status).to.equal(503);
    expect(ready.json()).to.include({ state: 'new-password-required' });
    const answer = await call(service.proxyUrl, { path: '/x' });
    expect(answer.status).to.equal(503);
    expect(answer.body.toString()).to.include('POST /admin/password');
    await service.close(1000);
  });
});
