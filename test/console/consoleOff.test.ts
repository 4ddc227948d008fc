import { expect } from 'chai';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('console: on only with ADMIN_TOKEN, forms only from its own pages', function () {
  this.timeout(60_000);
  let world: World;
  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });

  it('is not there without ADMIN_TOKEN: / and /sign-in are 404 like the admin routes', async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: undefined });
    for (const path of ['/', '/sign-in', '/console.js']) {
      const answer = await call(service.adminUrl, { path });
      expect(answer.status, path).to.equal(404);
    }
    const signIn = await call(service.adminUrl, {
      method: 'POST',
      path: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=anything',
    });
    expect(signIn.status).to.equal(404);
    await service.close(1000);
  });

  it('refuses a sign-in that is not a same-origin form post, before looking at the token', async function () {
    const token = 'console-off-test-token-71ce02';
    const { service } = await world.proxy({ ADMIN_TOKEN: token });
    const post = (headers: Record<string, string>) =>
      call(service.adminUrl, {
        method: 'POST',
        path: '/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: `token=${token}`,
      });
    expect((await post({})).status, 'no Origin, no Sec-Fetch-Site').to.equal(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).to.equal(403);
    const host = new URL(service.adminUrl).host;
    const ok = await post({ origin: `http://${host}` });
    expect(ok.status).to.equal(303);
    const huge = await call(service.adminUrl, {
      method: 'POST',
      path: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` },
      body: `token=${'x'.repeat(10_000)}`,
    });
    expect(huge.status, 'a form over 8 KiB').to.equal(413);
    expect(huge.headers['content-security-policy']).to.include("default-src 'none'");
    expect(ok.headers['set-cookie']?.[0]).to.match(
      /^scribe-console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict/,
    );
    await service.close(1000);
  });
});
