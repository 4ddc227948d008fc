import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type Issued, type TestCa } from '../support/certificates.js';
import { call } from '../support/http.js';
import { handshake, httpsCall } from '../support/tlsClient.js';
import { World } from '../support/world.js';

/** Write a pair (and optionally a client CA) into `dir`; the variables that name them. */
async function tlsFiles(
  dir: string,
  prefix: 'PROXY' | 'ADMIN',
  pair: Issued,
  clientCa?: TestCa,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    [`${prefix}_TLS_CERT_FILE`]: join(dir, `${prefix}-tls.crt`),
    [`${prefix}_TLS_KEY_FILE`]: join(dir, `${prefix}-tls.key`),
  };
  await writeFile(env[`${prefix}_TLS_CERT_FILE`] as string, pair.cert);
  await writeFile(env[`${prefix}_TLS_KEY_FILE`] as string, pair.key, { mode: 0o600 });
  if (clientCa) {
    env[`${prefix}_TLS_CLIENT_CA_FILE`] = join(dir, `${prefix}-client-ca.crt`);
    await writeFile(env[`${prefix}_TLS_CLIENT_CA_FILE`] as string, clientCa.cert);
  }
  return env;
}

describe('TLS on the listeners', function () {
  this.timeout(60_000);
  let world: World;
  let dir: string;
  let root: TestCa;
  let other: TestCa;
  let server: Issued;

  before(async function () {
    world = await World.start();
    dir = await mkdtemp(join(tmpdir(), 'scribe-tls-'));
    root = await createTestCa('test root');
    other = await createTestCa('someone else');
    // The certificate file holds a chain: leaf, then the intermediate that signed it.
    server = await (await root.intermediate('test intermediate')).server();
  });
  after(async function () {
    await world?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('proxies over HTTPS with the configured certificate and its chain', async function () {
    const env = await tlsFiles(dir, 'PROXY', server);
    const { service, logs } = await world.proxy(env);
    expect(service.proxyUrl).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(service.adminUrl).to.match(/^http:\/\//);
    const answer = await httpsCall(service.proxyUrl, { path: '/tasks?limit=1', ca: root.cert });
    expect(answer.status).to.equal(200);
    expect(answer.json()).to.include({ verified: true });
    expect(answer.fingerprint).to.equal(server.fingerprint);
    const listening = logs.records().find((r) => r['event'] === 'listening');
    expect(listening?.['tls']).to.deep.equal({ proxy: true, admin: false });
    expect(listening?.['msg']).to.include('proxy HTTPS');
    await service.close(1000);
  });

  it('answers plain HTTP sent to a TLS port with a 400 saying the port speaks HTTPS, on both listeners, and forwards nothing', async function () {
    // As nginx does: an empty reply (curl's exit 52) left the user guessing.
    const env = {
      ...(await tlsFiles(dir, 'PROXY', server)),
      ...(await tlsFiles(dir, 'ADMIN', server)),
    };
    const { service } = await world.proxy(env);
    const before = world.upstream.arrivals.length;
    for (const base of [service.proxyUrl, service.adminUrl]) {
      const plain = base.replace(/^https:/, 'http:');
      const answer = await call(plain, { path: '/tasks', headers: { connection: 'close' } });
      expect(answer.status, base).to.equal(400);
      expect(answer.json(), base).to.deep.equal({
        error: {
          code: 'https_required',
          message: 'this port speaks HTTPS: send the request with https://',
        },
      });
    }
    expect(world.upstream.arrivals).to.have.length(before);
    // The same ports still speak TLS.
    const answer = await httpsCall(service.proxyUrl, { path: '/tasks', ca: root.cert });
    expect(answer.status).to.equal(200);
    expect(
      (await httpsCall(service.adminUrl, { path: '/healthz', ca: root.cert })).status,
    ).to.equal(200);
    await service.close(1000);
  });

  it('refuses TLS 1.1 by default, and TLS 1.2 at TLS_MIN_VERSION=TLSv1.3', async function () {
    const env = await tlsFiles(dir, 'PROXY', server);
    const { service } = await world.proxy(env);
    const old = await handshake(service.proxyUrl, {
      ca: root.cert,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      // OpenSSL 3 needs security level 0 to even offer TLS 1.1 as a client.
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    // The server's alert, not the client giving up: the hello reached it and was refused.
    expect(old)
      .to.have.property('error')
      .that.matches(/alert protocol version/);
    const twelve = await handshake(service.proxyUrl, { ca: root.cert, maxVersion: 'TLSv1.2' });
    expect(twelve).to.include({ protocol: 'TLSv1.2' });
    await service.close(1000);

    const strict = await world.proxy({ ...env, TLS_MIN_VERSION: 'TLSv1.3' });
    const refused = await handshake(strict.service.proxyUrl, {
      ca: root.cert,
      maxVersion: 'TLSv1.2',
    });
    expect(refused)
      .to.have.property('error')
      .that.matches(/protocol version|unsupported protocol/i);
    const thirteen = await handshake(strict.service.proxyUrl, { ca: root.cert });
    expect(thirteen).to.include({ protocol: 'TLSv1.3' });
    await strict.service.close(1000);
  });

  it('with a client CA, answers only clients with a certificate that CA signed', async function () {
    const clientCa = await createTestCa('client CA');
    const env = await tlsFiles(dir, 'PROXY', server, clientCa);
    const { service } = await world.proxy(env);
    const path = '/tasks?mutual=1';
    const mine = await clientCa.client('app-one');
    const theirs = await other.client('intruder');

    const withRight = await httpsCall(service.proxyUrl, { path, ca: root.cert, ...mine });
    expect(withRight.status).to.equal(200);
    const withNone = await httpsCall(service.proxyUrl, { path, ca: root.cert }).catch(
      (err: Error) => err,
    );
    expect(withNone).to.be.instanceOf(Error);
    const withOther = await httpsCall(service.proxyUrl, {
      path,
      ca: root.cert,
      cert: theirs.cert,
      key: theirs.key,
    }).catch((err: Error) => err);
    expect(withOther).to.be.instanceOf(Error);
    const arrived = world.upstream.arrivals.filter((a) => a.url.includes('mutual=1'));
    expect(arrived).to.have.length(1);
    await service.close(1000);
  });

  it('serves the admin listener (health, metrics) over HTTPS, with its own client CA', async function () {
    const adminCa = await createTestCa('operators');
    const adminPair = await root.server();
    const env = await tlsFiles(dir, 'ADMIN', adminPair, adminCa);
    const { service } = await world.proxy(env);
    expect(service.adminUrl).to.match(/^https:/);
    expect(service.tls).to.deep.equal({ proxy: false, admin: true });
    const operator = await adminCa.client('operator');
    const health = await httpsCall(service.adminUrl, {
      path: '/healthz',
      ca: root.cert,
      ...operator,
    });
    expect(health.status).to.equal(200);
    expect(health.fingerprint).to.equal(adminPair.fingerprint);
    const anonymous = await httpsCall(service.adminUrl, { path: '/healthz', ca: root.cert }).catch(
      (err: Error) => err,
    );
    expect(anonymous).to.be.instanceOf(Error);
    const metrics = await httpsCall(service.adminUrl, {
      path: '/metrics',
      ca: root.cert,
      ...operator,
    });
    const expiry = /^scribe_proxy_tls_certificate_expiry_seconds\{listener="admin"\} (\S+)$/m.exec(
      metrics.body.toString(),
    );
    // The test CA issues for 30 days.
    expect(Number(expiry?.[1])).to.be.within(29 * 86_400, 30 * 86_400);
    await service.close(1000);
  });
});
