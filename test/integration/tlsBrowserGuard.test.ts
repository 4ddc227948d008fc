import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../support/certificates.js';
import { call } from '../support/http.js';
import { httpsCall } from '../support/tlsClient.js';
import { World } from '../support/world.js';

/** The count of proxied POSTs answered `status` on /metrics (0 when no such line yet). */
async function postsWithStatus(adminUrl: string, status: number): Promise<number> {
  const text = (await call(adminUrl, { path: '/metrics' })).body.toString();
  const line = new RegExp(
    `^scribe_proxy_requests_total\\{method="POST",code="${status}"\\} (\\d+)$`,
    'm',
  );
  return Number(line.exec(text)?.[1] ?? 0);
}

describe('the browser guard on an HTTPS proxy listener', function () {
  this.timeout(60_000);
  let world: World;
  let dir: string;
  let root: TestCa;
  let env: Record<string, string>;

  before(async function () {
    world = await World.start();
    dir = await mkdtemp(join(tmpdir(), 'scribe-tls-guard-'));
    root = await createTestCa('test root');
    const pair = await root.server();
    env = {
      PROXY_TLS_CERT_FILE: join(dir, 'proxy.crt'),
      PROXY_TLS_KEY_FILE: join(dir, 'proxy.key'),
    };
    await writeFile(env['PROXY_TLS_CERT_FILE'] as string, pair.cert);
    await writeFile(env['PROXY_TLS_KEY_FILE'] as string, pair.key, { mode: 0o600 });
  });
  after(async function () {
    await world?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("takes the proxy's own https origin as its own, and refuses its http twin with one log line, one metric and nothing upstream", async function () {
    const { service, logs } = await world.proxy(env);
    const own = new URL(service.proxyUrl).origin;
    expect(own).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    world.upstream.arrivals.length = 0;

    const allowed = await httpsCall(service.proxyUrl, {
      ca: root.cert,
      method: 'POST',
      path: '/tasks',
      headers: { origin: own, 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' },
      body: 'from its own page',
    });
    expect(allowed.status).to.equal(200);
    expect(world.upstream.arrivals).to.have.length(1);

    const refusedBefore = await postsWithStatus(service.adminUrl, 403);
    const linesBefore = logs.records().length;
    const refused = await httpsCall(service.proxyUrl, {
      ca: root.cert,
      method: 'POST',
      path: '/tasks',
      headers: { origin: own.replace('https:', 'http:'), 'content-type': 'text/plain' },
      body: 'from a page on the cleartext twin',
    });
    expect(refused.status).to.equal(403);
    expect(refused.json<{ error: { code: string } }>().error.code).to.equal('origin_refused');
    expect(world.upstream.arrivals).to.have.length(1);
    const lines = logs.records().slice(linesBefore);
    expect(lines.map((r) => [r['msg'], r['status'], r['error']])).to.deep.equal([
      ['request', 403, 'origin_refused'],
    ]);
    expect(await postsWithStatus(service.adminUrl, 403)).to.equal(refusedBefore + 1);
    await service.close(1000);
  });
});
