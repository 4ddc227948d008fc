import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { isChallenge, ScribeAuth } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { call, type Answer } from '../support/http.js';
import { World } from '../support/world.js';

const adminToken = 'admin-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${adminToken}` };

function post(
  adminUrl: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth,
): Promise<Answer> {
  return call(adminUrl, {
    method: 'POST',
    path,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the admin API', function () {
  this.timeout(60_000);
  let world: World;
  let totpSecret: string;

  before(async function () {
    world = await World.start();
    await world.cognito.createUser(world.pool, 'first-timer', 'Temp-Passw0rd!', {
      temporary: true,
    });
    await world.cognito.createUser(world.pool, 'mfa-admin', 'Mfa-Admin-Passw0rd!');
    await world.cognito.createUser(world.pool, 'forgetful', 'Forget-Passw0rd!');
    const direct = new ScribeAuth({
      clientId: world.pool.clientId,
      endpoints: { cognitoIdentityProvider: world.cognito.endpoint },
    });
    const login = await direct.getTokens({
      username: 'mfa-admin',
      password: 'Mfa-Admin-Passw0rd!',
    });
    if (isChallenge(login)) throw new Error('unexpected challenge');
    totpSecret = await direct.associateSoftwareToken(login.accessToken);
    await direct.verifySoftwareToken(login.accessToken, generateSync({ secret: totpSecret }));
    direct.destroy();
  });
  after(async function () {
    await world?.stop();
  });

  it('first login: new-password-required, then POST /admin/password, then requests succeed', async function () {
    const { service, logs } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_USERNAME: 'first-timer',
      SCRIBE_PASSWORD: 'Temp-Passw0rd!',
    });
    const before = await call(service.adminUrl, { path: '/readyz' });
    expect(before.json()).to.include({ state: 'new-password-required' });
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(503);

    const answer = await post(service.adminUrl, '/admin/password', {
      newPassword: 'Chosen-Passw0rd!',
    });
    expect(answer.status, answer.body.toString()).to.equal(200);
    expect(answer.json()).to.include({ state: 'ready', username: 'first-timer' });
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    expect(logs.lines.join('\n')).to.not.include('Chosen-Passw0rd!');
    await service.close(1000);
  });

  it('MFA: mfa-required, a wrong code is 400, the right one makes it ready', async function () {
    const { service } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_USERNAME: 'mfa-admin',
      SCRIBE_PASSWORD: 'Mfa-Admin-Passw0rd!',
    });
    const status = await call(service.adminUrl, { path: '/admin/session', headers: auth });
    expect(status.json()).to.include({ state: 'mfa-required' });
    const current = generateSync({ secret: totpSecret });
    const wrong = await post(service.adminUrl, '/admin/mfa', {
      code: current === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).to.equal(400);
    expect(wrong.json<{ error: { code: string } }>().error.code).to.equal('code_mismatch');
    const right = await post(service.adminUrl, '/admin/mfa', {
      code: generateSync({ secret: totpSecret }),
    });
    expect(right.status, right.body.toString()).to.equal(200);
    expect(right.json()).to.include({ state: 'ready' });
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    const again = await post(service.adminUrl, '/admin/mfa', { code: '123456' });
    expect(again.status).to.equal(409);
    await service.close(1000);
  });

  it('changes the session user password and goes on with the new one', async function () {
    await world.cognito.createUser(world.pool, 'changer', 'Changer-Passw0rd!');
    const { service } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_USERNAME: 'changer',
      SCRIBE_PASSWORD: 'Changer-Passw0rd!',
    });
    const changed = await post(service.adminUrl, '/admin/password', {
      newPassword: 'Changer-Passw0rd2!',
    });
    expect(changed.status, changed.body.toString()).to.equal(200);
    const relogin = await post(service.adminUrl, '/admin/login', {});
    expect(relogin.status, relogin.body.toString()).to.equal(200);
    expect(relogin.json()).to.include({ state: 'ready' });
    await service.close(1000);
  });

  it('forgot and confirm: the code resets the password and the session logs in with it', async function () {
    const { service } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_USERNAME: 'forgetful',
      SCRIBE_PASSWORD: 'Forget-Passw0rd!',
    });
    const forgot = await post(service.adminUrl, '/admin/password/forgot', {});
    expect(forgot.status, forgot.body.toString()).to.equal(200);
    expect(forgot.json()).to.include({ sent: true, deliveryMedium: 'EMAIL' });
    const badCode = await post(service.adminUrl, '/admin/password/confirm', {
      code: '999999',
      newPassword: 'Reset-Passw0rd!',
    });
    expect(badCode.status).to.equal(400);
    const confirm = await post(service.adminUrl, '/admin/password/confirm', {
      code: '123456',
      newPassword: 'Reset-Passw0rd!',
    });
    expect(confirm.status, confirm.body.toString()).to.equal(200);
    const relogin = await post(service.adminUrl, '/admin/login', {});
    expect(relogin.json()).to.include({ state: 'ready' });
    await service.close(1000);
  });

  it('a wrong password at /admin/login is 401 with what to do', async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const answer = await post(service.adminUrl, '/admin/login', {
      password: 'wrong-password-here',
    });
    expect(answer.status).to.equal(401);
    expect(answer.json<{ error: { message: string } }>().error.message).to.include(
      'check the username and password',
    );
    expect(answer.body.toString()).to.not.include('wrong-password-here');
    await service.close(1000);
  });

  it('a typo at /admin/login leaves a healthy proxy serving with its configured login', async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const typo = await post(service.adminUrl, '/admin/login', { password: 'Proxy-Passw0rd?' });
    expect(typo.status).to.equal(401);
    const ready = await call(service.adminUrl, { path: '/readyz' });
    expect(ready.status).to.equal(200);
    expect(ready.json()).to.include({ state: 'ready' });
    expect((await call(service.proxyUrl, { path: '/still-serving' })).status).to.equal(200);
    // The configured password was not replaced by the typo.
    const again = await post(service.adminUrl, '/admin/login', {});
    expect(again.status, again.body.toString()).to.equal(200);
    expect(again.json()).to.include({ state: 'ready' });
    await service.close(1000);
  });

  it('a password changed here flags SCRIBE_PASSWORD as stale in the status and the log, never the password', async function () {
    await world.cognito.createUser(world.pool, 'stale-config', 'Stale-Config-Passw0rd!');
    const { service, logs } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_USERNAME: 'stale-config',
      SCRIBE_PASSWORD: 'Stale-Config-Passw0rd!',
    });
    const before = await call(service.adminUrl, { path: '/admin/session', headers: auth });
    expect(before.json()).to.include({ configuredPasswordStale: false });
    const changed = await post(service.adminUrl, '/admin/password', {
      newPassword: 'Stale-Config-Passw0rd2!',
    });
    expect(changed.status, changed.body.toString()).to.equal(200);
    expect(changed.json()).to.include({ configuredPasswordStale: true });
    const warning = logs.records().find((r) => r['event'] === 'configured-password-stale');
    expect(warning?.['msg']).to.include('SCRIBE_PASSWORD');
    expect(logs.lines.join('\n')).to.not.include('Stale-Config-Passw0rd2!');
    await service.close(1000);
  });

  it('revoke with a password: purges, logs in again, and requests use fresh credentials', async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
    world.upstream.arrivals.length = 0;
    await call(service.proxyUrl, { path: '/before' });
    const idsBefore = world.emulator.calls.GetId;
    const revoked = await post(service.adminUrl, '/admin/revoke');
    expect(revoked.status, revoked.body.toString()).to.equal(200);
    expect(revoked.json()).to.include({ state: 'ready' });
    expect(world.emulator.calls.GetId).to.equal(idsBefore + 1); // the identity id was purged too
    await call(service.proxyUrl, { path: '/after' });
    const [first, second] = world.upstream.arrivals;
    expect(first?.verdict.ok && second?.verdict.ok).to.equal(true);
    expect(second?.verdict.accessKeyId).to.not.equal(first?.verdict.accessKeyId);
    await service.close(1000);
  });

  it('revoke without a password: needs-login and 503 until someone logs in', async function () {
    const { refreshToken } = await world.login();
    const { service } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      SCRIBE_REFRESH_TOKEN: refreshToken,
      SCRIBE_PASSWORD: undefined,
    });
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    const revoked = await post(service.adminUrl, '/admin/revoke');
    expect(revoked.json()).to.include({ state: 'needs-login' });
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(503);
    const login = await post(service.adminUrl, '/admin/login', { password: world.password });
    expect(login.json()).to.include({ state: 'ready' });
    expect((await call(service.proxyUrl, { path: '/x' })).status).to.equal(200);
    await service.close(1000);
  });

  describe('every route is guarded and validated', function () {
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/admin/session', undefined],
      ['POST', '/admin/login', {}],
      ['POST', '/admin/mfa', { code: '123456' }],
      ['POST', '/admin/password', { newPassword: 'x' }],
      ['POST', '/admin/password/forgot', {}],
      ['POST', '/admin/password/confirm', { code: '1234', newPassword: 'x' }],
      ['POST', '/admin/revoke', undefined],
    ];

    it('missing or wrong token: 401 on every route', async function () {
      const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
      for (const [method, path, body] of routes) {
        const attempts: Array<Record<string, string>> = [
          {},
          { authorization: 'Bearer wrong-token-wrong-token' },
          { authorization: adminToken },
        ];
        for (const headers of attempts) {
          const answer = await call(service.adminUrl, {
            method,
            path,
            headers: { ...headers, 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          expect(answer.status, `${method} ${path}`).to.equal(401);
        }
      }
      await service.close(1000);
    });

    it('bad JSON 400, wrong content type 415, bad fields 400 naming them, unknown route 404', async function () {
      const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
      const badJson = await call(service.adminUrl, {
        method: 'POST',
        path: '/admin/login',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"username":',
      });
      expect(badJson.status).to.equal(400);
      expect(badJson.json<{ error: { code: string } }>().error.code).to.equal('invalid_json');
      const form = await call(service.adminUrl, {
        method: 'POST',
        path: '/admin/login',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=a',
      });
      expect(form.status).to.equal(415);
      const fields = await post(service.adminUrl, '/admin/password/confirm', {
        code: 'abc',
        pasword: 'typo-secret',
      });
      expect(fields.status).to.equal(400);
      const message = fields.json<{ error: { message: string } }>().error.message;
      expect(message).to.include('code').and.include('newPassword').and.include('pasword');
      expect(message).to.not.include('typo-secret');
      const big = await post(service.adminUrl, '/admin/login', { password: 'x'.repeat(20_000) });
      expect(big.status).to.equal(413);
      const unknown = await call(service.adminUrl, { path: '/admin/nope', headers: auth });
      expect(unknown.status).to.equal(404);
      await service.close(1000);
    });

    it('rate-limits the password routes with 429', async function () {
      const { service } = await world.proxy(
        { ADMIN_TOKEN: adminToken },
        { passwordRateLimit: { limit: 2, windowMs: 60_000 } },
      );
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await post(service.adminUrl, '/admin/password/forgot', {})).status);
      }
      expect(statuses).to.deep.equal([200, 200, 429]);
      await service.close(1000);
    });
  });

  describe('the session file', function () {
    let dir: string;
    before(async function () {
      dir = await mkdtemp(join(tmpdir(), 'scribe-session-'));
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    it('is written 0600 after login, survives a restart without a password, and revoke deletes it', async function () {
      const file = join(dir, 'session.json');
      const first = await world.proxy({ ADMIN_TOKEN: adminToken, SCRIBE_SESSION_FILE: file });
      expect(first.service.session?.state).to.equal('ready');
      expect((await stat(file)).mode & 0o777).to.equal(0o600);
      const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      expect(saved['refreshToken']).to.be.a('string').with.length.greaterThan(10);
      // What scribe-proxy credentials needs beside the token, and never a password.
      expect(saved).to.include({
        clientId: first.config.clientId,
        userPoolId: first.config.userPoolId,
        identityPoolId: first.config.identityPoolId,
        cognitoEndpoint: first.config.cognitoEndpoint,
      });
      expect(JSON.stringify(saved)).to.not.include(world.password);
      await first.service.close(1000);
      // So the file the proxy wrote is enough for the CLI, from an empty directory.
      const empty = await mkdtemp(join(dir, 'empty-'));
      const cli = await runCli(['credentials', '--session-file', file], { HOME: empty }, empty);
      expect(cli.code, cli.stderr).to.equal(0);

      const second = await world.proxy({
        ADMIN_TOKEN: adminToken,
        SCRIBE_SESSION_FILE: file,
        SCRIBE_USERNAME: undefined,
        SCRIBE_PASSWORD: undefined,
      });
      expect(second.service.session?.state).to.equal('ready');
      expect((await call(second.service.proxyUrl, { path: '/x' })).status).to.equal(200);
      const revoked = await post(second.service.adminUrl, '/admin/revoke');
      expect(revoked.json()).to.include({ state: 'needs-login' });
      await stat(file).then(
        () => expect.fail('the session file still exists'),
        (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
      );
      await second.service.close(1000);
    });
  });
});
