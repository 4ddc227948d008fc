import { expect } from 'chai';
import { call, type Answer } from '../support/http.js';
import { World } from '../support/world.js';

const adminToken = 'admin-hosts-token-0123456789';
const auth = { authorization: `Bearer ${adminToken}` };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

type ErrorBody = { error: { code: string } };

describe('the admin listener bound beyond loopback answers only its own Host names', function () {
  this.timeout(60_000);
  let world: World;
  let base: string;
  let port: string;

  before(async function () {
    world = await World.start();
    // As the Kubernetes manifests run it: bound to every interface, reached via port-forward
    // (Host localhost) or the Service name, probed by the kubelet at the pod's address.
    const { service } = await world.proxy({
      ADMIN_TOKEN: adminToken,
      ADMIN_HOST: '0.0.0.0',
      ADMIN_ALLOWED_HOSTS: 'scribe-proxy-admin',
    });
    port = new URL(service.adminUrl).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(async function () {
    await world?.stop();
  });

  const get = (path: string, host: string, headers: Record<string, string> = {}): Promise<Answer> =>
    call(base, { path, headers: { ...headers, host } });

  it('refuses the console and /admin to a DNS-rebound name, so its wrong tokens lock nobody out', async function () {
    const rebound = `rebind.example:${port}`;
    expect((await get('/sign-in', rebound)).status).to.equal(403);
    const admin = await get('/admin/session', rebound, auth);
    expect(admin.status).to.equal(403);
    expect(admin.json<ErrorBody>().error.code).to.equal('host_refused');
    for (let i = 0; i < 12; i++) {
      const post = await call(base, {
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
      expect(post.status).to.equal(403);
      const guess = { authorization: `Bearer rebound-guess-${i}-0123456789` };
      expect((await get('/admin/session', rebound, guess)).status).to.equal(403);
      // /readyz answers a rebound name the state only, and its token counts for nothing.
      const ready = await get('/readyz', rebound, guess);
      expect(ready.json()).to.deep.equal({ state: 'ready' });
    }
    expect((await get('/readyz', rebound, auth)).json()).to.deep.equal({ state: 'ready' });
    const operator = await get('/admin/session', `localhost:${port}`, auth);
    expect(operator.status, 'the operator is not locked out').to.equal(200);
  });

  it('answers loopback names (kubectl port-forward) and ADMIN_ALLOWED_HOSTS (the Service name)', async function () {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'scribe-proxy-admin:8081']) {
      expect((await get('/sign-in', host)).status, host).to.equal(200);
      expect((await get('/admin/session', host, auth)).status, host).to.equal(200);
      expect((await get('/readyz', host, auth)).json(), host).to.include({
        username: world.username,
      });
    }
  });

  it("keeps /healthz, /readyz and /metrics open to any Host: the kubelet's probes and Prometheus use the pod's address", async function () {
    for (const host of [`10.1.2.3:${port}`, '10.1.2.3']) {
      expect((await get('/healthz', host)).status, host).to.equal(200);
      expect((await get('/readyz', host)).status, host).to.equal(200);
      expect((await get('/metrics', host)).status, host).to.equal(200);
    }
  });
});
