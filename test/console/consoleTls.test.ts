import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../support/certificates.js';
import { registerSecret } from '../support/secretScan.js';
import { httpsCall } from '../support/tlsClient.js';
import { World } from '../support/world.js';

const adminToken = 'console-tls-admin-token-8c2e4a6b';

describe('the console on an HTTPS admin listener, as the service runs it', function () {
  this.timeout(60_000);
  let world: World;
  let dir: string;
  let root: TestCa;
  let env: Record<string, string>;

  before(async function () {
    registerSecret(adminToken);
    world = await World.start();
    dir = await mkdtemp(join(tmpdir(), 'scribe-console-tls-'));
    root = await createTestCa('test root');
    const pair = await root.server();
    env = {
      ADMIN_TOKEN: adminToken,
      ADMIN_TLS_CERT_FILE: join(dir, 'admin.crt'),
      ADMIN_TLS_KEY_FILE: join(dir, 'admin.key'),
    };
    await writeFile(env['ADMIN_TLS_CERT_FILE'] as string, pair.cert);
    await writeFile(env['ADMIN_TLS_KEY_FILE'] as string, pair.key, { mode: 0o600 });
  });
  after(async function () {
    await world?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs in from its https origin with a __Host- Secure cookie that opens the pages, and refuses the http twin', async function () {
    const { service } = await world.proxy(env);
    const origin = new URL(service.adminUrl).origin;
    expect(origin).to.match(/^https:\/\//);
    const signIn = (from: string) =>
      httpsCall(service.adminUrl, {
        ca: root.cert,
        method: 'POST',
        path: '/sign-in',
        headers: { origin: from, 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${adminToken}`,
      });

    const cleartextTwin = await signIn(origin.replace('https:', 'http:'));
    expect(cleartextTwin.status).to.equal(403);
    expect(cleartextTwin.headers['set-cookie']).to.equal(undefined);

    const signedIn = await signIn(origin);
    expect(signedIn.status).to.equal(303);
    const setCookie = String(signedIn.headers['set-cookie']);
    expect(setCookie).to.match(/^__Host-[^=]+=[^;]+; /);
    const flags = setCookie.split('; ').slice(1);
    expect(flags).to.include.members(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure']);
    expect(flags.some((f) => /^(Domain|Max-Age|Expires)=/i.test(f))).to.equal(false);

    const cookie = setCookie.split(';')[0] as string;
    const page = await httpsCall(service.adminUrl, {
      ca: root.cert,
      path: '/',
      headers: { cookie },
    });
    expect(page.status).to.equal(200);
    // The same session under the cleartext name opens nothing.
    const plainName = cookie.replace(/^__Host-/, '');
    const other = await httpsCall(service.adminUrl, {
      ca: root.cert,
      path: '/',
      headers: { cookie: plainName },
    });
    expect(other.status).to.equal(303);
    expect(other.headers['location']).to.equal('/sign-in');
    await service.close(1000);
  });
});
