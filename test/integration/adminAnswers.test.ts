import { expect } from 'chai';
import { call, type Answer } from '../support/http.js';
import { World } from '../support/world.js';

const adminToken = 'admin-answers-token-0123456789';
const auth = { authorization: `Bearer ${adminToken}` };
const json = { ...auth, 'content-type': 'application/json' };

type ErrorBody = { error: { code: string; message: string } };
const adminLines = (records: Array<Record<string, unknown>>) =>
  records.filter((r) => r['event'] === 'admin');

describe('the admin API answers, and logs what it answered', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });

  it('logs invalid bodies as the 400s they were, not as actions done', async function () {
    const { service, logs } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const bodies: Array<[string, string]> = [
      ['/admin/mfa', '{"code":"12"}'],
      ['/admin/mfa', '{}'],
      ['/admin/mfa', '{"code":"123456","extra":1}'],
      ['/admin/revoke', '{"why":"typo"}'],
      ['/admin/revoke', '{"force":true}'],
    ];
    for (const [path, body] of bodies) {
      const answer = await call(service.adminUrl, { method: 'POST', path, headers: json, body });
      expect(answer.status, `${path} ${body}`).to.equal(400);
    }
    const lines = adminLines(logs.records());
    expect(lines).to.have.length(5);
    for (const line of lines) {
      expect(line).to.include({ outcome: 'failed', status: 400, detail: 'invalid_body' });
    }
    // Refused before the route (not JSON, an unknown route): logged as answered too.
    const form = await call(service.adminUrl, {
      method: 'POST',
      path: '/admin/login',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=a',
    });
    expect(form.status).to.equal(415);
    await call(service.adminUrl, { path: '/admin/<script>', headers: auth });
    const before = adminLines(logs.records()).slice(5);
    expect(before).to.have.length(2);
    expect(before[0]).to.include({
      action: 'login',
      status: 415,
      detail: 'unsupported_media_type',
    });
    expect(before[1]).to.include({ action: 'unknown-route', status: 404, detail: 'not_found' });
    await service.close(1000);
  });

  it('says what type a field should have: {"code":123456} is not "required"', async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const answer = await call(service.adminUrl, {
      method: 'POST',
      path: '/admin/mfa',
      headers: json,
      body: '{"code":123456}',
    });
    expect(answer.status).to.equal(400);
    const message = answer.json<ErrorBody>().error.message;
    expect(message).to.equal('code must be a string');
    const missing = await call(service.adminUrl, {
      method: 'POST',
      path: '/admin/password',
      headers: json,
      body: '{}',
    });
    expect(missing.json<ErrorBody>().error.message).to.equal('newPassword: required');
    await service.close(1000);
  });

  it("a Cognito refusal has its own code, apart from a wrong admin token's", async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const cognito = await call(service.adminUrl, {
      method: 'POST',
      path: '/admin/login',
      headers: json,
      body: JSON.stringify({ password: 'not-the-password' }),
    });
    expect(cognito.status).to.equal(401);
    expect(cognito.json<ErrorBody>().error.code).to.equal('cognito_unauthorized');
    const token = await call(service.adminUrl, {
      path: '/admin/session',
      headers: { authorization: 'Bearer wrong-admin-token-0123' },
    });
    expect(token.status).to.equal(401);
    expect(token.json<ErrorBody>().error.code).to.equal('unauthorized');
    await service.close(1000);
  });

  it('logs wrong admin tokens (never the token) and slows repeated failures with 429', async function () {
    const { service, logs } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const wrong = 'Bearer guessed-admin-token-42';
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let i = 0; i < 12; i++) {
      last = await call(service.adminUrl, {
        path: '/admin/session',
        headers: { authorization: wrong },
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).to.deep.equal(new Array(10).fill(401));
    expect(statuses.slice(10)).to.deep.equal([429, 429]);
    expect(last?.headers['retry-after']).to.be.a('string');
    const refusals = adminLines(logs.records()).filter((r) => r['action'] === 'authenticate');
    expect(refusals.length).to.be.at.least(10);
    expect(refusals[0]).to.include({ outcome: 'failed', status: 401, detail: 'wrong_token' });
    expect(logs.lines.join('\n')).to.not.include('guessed-admin-token');
    await service.close(1000);
  });

  it('/readyz is no token oracle: once wrong tokens lock an address out, the right one there gets the state only', async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: adminToken });
    const readyz = (headers: Record<string, string> = {}) =>
      call(service.adminUrl, { path: '/readyz', headers });
    expect((await readyz(auth)).json()).to.include({ username: world.username });
    for (let i = 0; i < 10; i++) {
      await call(service.adminUrl, {
        path: '/admin/session',
        headers: { authorization: 'Bearer guessed-admin-token-42' },
      });
    }
    expect(
      (await call(service.adminUrl, { path: '/admin/session', headers: auth })).status,
    ).to.equal(429);
    const right = await readyz(auth);
    expect(right.status).to.equal(200);
    expect(right.json()).to.deep.equal({ state: 'ready' });
    // The kubelet's probe, from the same address, is never throttled.
    const probe = await readyz();
    expect(probe.status).to.equal(200);
    expect(probe.json()).to.deep.equal({ state: 'ready' });
    await service.close(1000);
  });

  it("/readyz counts and logs its wrong tokens toward the admin API's throttle, never the token", async function () {
    const { service, logs } = await world.proxy({ ADMIN_TOKEN: adminToken });
    for (let i = 0; i < 10; i++) {
      const wrong = await call(service.adminUrl, {
        path: '/readyz',
        headers: { authorization: 'Bearer readyz-guess-0123456789' },
      });
      expect(wrong.status).to.equal(200);
      expect(wrong.json()).to.deep.equal({ state: 'ready' });
    }
    const locked = await call(service.adminUrl, { path: '/admin/session', headers: auth });
    expect(locked.status).to.equal(429);
    const refusals = adminLines(logs.records()).filter(
      (r) => r['action'] === 'authenticate' && r['detail'] === 'wrong_token',
    );
    expect(refusals).to.have.length(10);
    expect(refusals[0]).to.include({ outcome: 'failed', status: 200 });
    expect(logs.lines.join('\n')).to.not.include('readyz-guess');
    await service.close(1000);
  });

  it('DELETE /admin/sessions/%E0%A4%A (not UTF-8) is a 400 with a log line, not a 500', async function () {
    const { service, logs } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      PROXY_SESSIONS: 'per-client',
      SCRIBE_USERNAME: undefined,
      SCRIBE_PASSWORD: undefined,
    });
    const answer = await call(service.adminUrl, {
      method: 'DELETE',
      path: '/admin/sessions/%E0%A4%A',
      headers: auth,
    });
    expect(answer.status).to.equal(400);
    expect(answer.json<ErrorBody>().error.code).to.equal('invalid_path');
    const line = adminLines(logs.records()).find((r) => r['action'] === 'evict');
    expect(line).to.include({ outcome: 'failed', status: 400, detail: 'invalid_path' });
    await service.close(1000);
  });
});
