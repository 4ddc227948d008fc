import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('console: what a hostile page or client sends', function () {
  this.timeout(60_000);
  const token = 'console-hostile-test-token-5a91c3';
  let world: World;
  let adminUrl: string;
  let port: string;
  before(async function () {
    world = await World.start();
    const { service } = await world.proxy({ ADMIN_TOKEN: token });
    adminUrl = service.adminUrl;
    port = new URL(adminUrl).port;
  });
  after(async function () {
    await world?.stop();
  });

  it('on a loopback bind, answers no other Host: a DNS-rebound page can neither read a page nor lock the operator out', async function () {
    const rebound = `rebind.example:${port}`;
    const page = await call(adminUrl, { path: '/sign-in', headers: { host: rebound } });
    expect(page.status).to.equal(403);
    expect(page.headers['content-security-policy']).to.include("default-src 'none'");
    for (let i = 0; i < 12; i++) {
      // What a rebound page's own form post looks like: same-origin in the browser's eyes.
      const wrong = await call(adminUrl, {
        method: 'POST',
        path: '/sign-in',
        headers: {
          ...form,
          host: rebound,
          'sec-fetch-site': 'same-origin',
          origin: `http://${rebound}`,
        },
        body: `token=wrong-${i}`,
      });
      expect(wrong.status, `try ${i}`).to.equal(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const ok = await call(adminUrl, { path: '/sign-in', headers: { host } });
      expect(ok.status, host).to.equal(200);
    }
    const operator = await call(adminUrl, {
      method: 'POST',
      path: '/sign-in',
      headers: { ...form, 'sec-fetch-site': 'same-origin', origin: 'null' },
      body: `token=${token}`,
    });
    expect(operator.status, 'the operator is not locked out').to.equal(303);
  });

  it('answers a form whose compressed body does not inflate as unreadable (400), not as its own failure', async function () {
    const post = (body: Buffer) =>
      call(adminUrl, {
        method: 'POST',
        path: '/sign-in',
        headers: { ...form, 'content-encoding': 'gzip', origin: `http://127.0.0.1:${port}` },
        body,
      });
    const broken = await post(Buffer.from('not gzip at all'));
    expect(broken.status).to.equal(400);
    expect(broken.body.toString()).to.include('could not be read');
    const bomb = await post(gzipSync(Buffer.alloc(1_000_000, 'a')));
    expect(bomb.status, 'inflated past 8 KiB').to.equal(413);
  });
});
