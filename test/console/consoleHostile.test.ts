import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { consoleScript } from '../../src/admin/console/assets.js';
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

  it("keeps its session cookie from the upstream when the browser sends it to the proxy's port too", async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: token });
    const signedIn = await call(service.adminUrl, {
      method: 'POST',
      path: '/sign-in',
      headers: { ...form, 'sec-fetch-site': 'same-origin' },
      body: `token=${token}`,
    });
    const cookie = (signedIn.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
    expect(cookie).to.match(/^scribe-console=/);
    // Cookies are not kept apart by port: the browser sends it to 127.0.0.1:<proxy port> as well.
    const proxied = await call(service.proxyUrl, {
      path: '/v1/cookie-check',
      headers: { cookie: `app=1; ${cookie}` },
    });
    expect(proxied.status).to.be.below(500);
    const arrival = world.upstream.arrivals.find((a) => a.url.includes('/cookie-check'));
    expect(arrival?.headers['cookie']).to.equal('app=1');
    await service.close(1000);
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

  it("ends a session 30 minutes after the operator's last action, however often its page reloads itself", async function () {
    const { service } = await world.proxy({ ADMIN_TOKEN: token });
    const signIn = async () => {
      const answer = await call(service.adminUrl, {
        method: 'POST',
        path: '/sign-in',
        headers: { ...form, 'sec-fetch-site': 'same-origin', origin: 'null' },
        body: `token=${token}`,
      });
      return (answer.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
    };
    const walkedAway = await signIn();
    const working = await signIn();
    const open = (cookie: string, path: string) =>
      call(service.adminUrl, { path, headers: { cookie } });
    // The page's script reloads it every 30 s as the page's own URL with auto=1.
    expect(scriptReload('http://127.0.0.1:8081/?name=a%20b')).to.equal(
      'http://127.0.0.1:8081/?name=a+b&auto=1',
    );
    const clock = FakeTimers.install({ toFake: ['Date'], now: Date.now() });
    try {
      clock.tick(20 * 60_000);
      expect((await open(walkedAway, '/?auto=1')).status).to.equal(200);
      expect((await open(working, '/')).status).to.equal(200);
      clock.tick(20 * 60_000);
      const ended = await open(walkedAway, '/?auto=1');
      expect(ended.status, 'no action for 40 min').to.equal(303);
      expect(ended.headers.location).to.equal('/sign-in');
      expect((await open(working, '/')).status, 'last action 20 min ago').to.equal(200);
    } finally {
      clock.uninstall();
      await service.close(1000);
    }
  });
});

/** Where console.js goes when its reload timer fires on a visible page. */
function scriptReload(href: string): string | undefined {
  let went: string | undefined;
  const context = {
    URL,
    Date,
    setInterval: () => 0,
    setTimeout: (fn: () => void) => fn(),
    document: {
      visibilityState: 'visible',
      querySelectorAll: () => [],
      body: { getAttribute: (name: string) => (name === 'data-refresh-s' ? '30' : null) },
    },
    location: {
      href,
      reload: () => (went = href),
      replace: (to: string) => (went = String(to)),
      assign: (to: string) => (went = String(to)),
    },
  };
  runInNewContext(consoleScript, context);
  return went;
}
