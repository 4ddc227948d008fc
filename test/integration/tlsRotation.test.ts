import { expect } from 'chai';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../src/server/index.js';
import { createTestCa, type Issued, type TestCa } from '../support/certificates.js';
import { httpsCall, tlsClient } from '../support/tlsClient.js';
import { World, type LogCapture } from '../support/world.js';

/** Poll `check` until it returns a value, for up to `ms`. */
async function until<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('TLS rotation without a restart', function () {
  this.timeout(60_000);
  let world: World;
  let base: string;
  let root: TestCa;

  before(async function () {
    world = await World.start();
    base = await mkdtemp(join(tmpdir(), 'scribe-rotation-'));
    root = await createTestCa('rotation root');
  });
  after(async function () {
    await world?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  });

  /**
   * A proxy serving `first` from `certFile`/`keyFile`, a keep-alive connection opened on it, and
   * a wait for fresh connections to get `next` while that connection goes on answering.
   */
  async function serving(certFile: string, keyFile: string) {
    const { service, logs } = await world.proxy({
      PROXY_TLS_CERT_FILE: certFile,
      PROXY_TLS_KEY_FILE: keyFile,
    });
    const agent = tlsClient({ ca: root.cert });
    const kept = await agent.call(service.proxyUrl, { path: '/kept' });
    expect(kept.status).to.equal(200);
    const fresh = () => httpsCall(service.proxyUrl, { path: '/fresh', ca: root.cert });
    /** Wait until a new connection gets `next`; the kept connection answers meanwhile. */
    const rotatedTo = async (next: Issued) => {
      await until(async () => {
        const onKept = await agent.call(service.proxyUrl, { path: '/kept' });
        expect(onKept.status).to.equal(200);
        expect(onKept.reused, 'the connection opened before goes on').to.equal(true);
        expect(onKept.fingerprint).to.equal(kept.fingerprint);
        return (await fresh()).fingerprint === next.fingerprint ? true : undefined;
      });
    };
    return { service, logs, agent, kept, fresh, rotatedTo };
  }

  const reloads = async (service: Service, result: 'success' | 'failure') => {
    const text = await service.metrics.registry.metrics();
    const line = new RegExp(
      `^scribe_proxy_tls_reloads_total\\{listener="proxy",result="${result}"\\} (\\d+)$`,
      'm',
    ).exec(text);
    return Number(line?.[1] ?? 0);
  };
  const lastReloadSuccessful = async (service: Service) => {
    const text = await service.metrics.registry.metrics();
    const line = /^scribe_proxy_tls_last_reload_successful\{listener="proxy"\} (\d+)$/m.exec(text);
    return line ? Number(line[1]) : undefined;
  };

  it('picks up a pair written in place', async function () {
    const dir = await mkdtemp(join(base, 'write-'));
    const [first, next] = [await root.server(), await root.server()];
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    await writeFile(cert, first.cert);
    await writeFile(key, first.key);
    const proxy = await serving(cert, key);
    expect(proxy.kept.fingerprint).to.equal(first.fingerprint);
    expect(await lastReloadSuccessful(proxy.service), 'the first load').to.equal(1);
    await writeFile(cert, next.cert);
    await writeFile(key, next.key);
    await proxy.rotatedTo(next);
    expect(await reloads(proxy.service, 'success')).to.be.at.least(1);
    const loaded = proxy.logs.records().filter((r) => r['event'] === 'tls_reloaded');
    expect(loaded.at(-1)).to.include({ listener: 'proxy', trigger: 'watch' });
    await proxy.agent.close();
    await proxy.service.close(1000);
  });

  it('picks up a pair renamed into place', async function () {
    const dir = await mkdtemp(join(base, 'rename-'));
    const [first, next] = [await root.server(), await root.server()];
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    await writeFile(cert, first.cert);
    await writeFile(key, first.key);
    const proxy = await serving(cert, key);
    await writeFile(join(dir, '.tls.crt.new'), next.cert);
    await writeFile(join(dir, '.tls.key.new'), next.key);
    await rename(join(dir, '.tls.key.new'), key);
    await rename(join(dir, '.tls.crt.new'), cert);
    await proxy.rotatedTo(next);
    await proxy.agent.close();
    await proxy.service.close(1000);
  });

  it("picks up a Kubernetes secret update (the volume's ..data symlink swapped)", async function () {
    // A secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/, swapped atomically.
    const dir = await mkdtemp(join(base, 'secret-'));
    const version = async (name: string, pair: Issued) => {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'tls.crt'), pair.cert);
      await writeFile(join(dir, name, 'tls.key'), pair.key);
    };
    const [first, next] = [await root.server(), await root.server()];
    await version('..2026_12_06_10_00_00.1', first);
    await symlink('..2026_12_06_10_00_00.1', join(dir, '..data'));
    await symlink('..data/tls.crt', join(dir, 'tls.crt'));
    await symlink('..data/tls.key', join(dir, 'tls.key'));
    const proxy = await serving(join(dir, 'tls.crt'), join(dir, 'tls.key'));
    expect(proxy.kept.fingerprint).to.equal(first.fingerprint);

    await version('..2026_12_06_11_00_00.2', next);
    await symlink('..2026_12_06_11_00_00.2', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await rm(join(dir, '..2026_12_06_10_00_00.1'), { recursive: true });
    await proxy.rotatedTo(next);
    await proxy.agent.close();
    await proxy.service.close(1000);
  });

  it('keeps the current pair when the new certificate is not valid yet (from 2090), and says so', async function () {
    const dir = await mkdtemp(join(base, 'early-'));
    const [first, early] = [
      await root.server(),
      await root.server({
        notBefore: new Date('2090-01-01T00:00:00Z'),
        notAfter: new Date('2091-01-01T00:00:00Z'),
      }),
    ];
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    await writeFile(cert, first.cert);
    await writeFile(key, first.key);
    const { service, logs } = await world.proxy({
      PROXY_TLS_CERT_FILE: cert,
      PROXY_TLS_KEY_FILE: key,
    });
    await writeFile(cert, early.cert);
    await writeFile(key, early.key);
    service.reloadTls();
    const failed = logs.records().find((r) => r['event'] === 'tls_reload_failed');
    expect(failed?.['reason']).to.equal(
      'PROXY_TLS_CERT_FILE: the certificate is not valid before 2090-01-01T00:00:00.000Z (this machine says it is earlier)',
    );
    const served = await httpsCall(service.proxyUrl, { path: '/x', ca: root.cert });
    expect(served.status).to.equal(200);
    expect(served.fingerprint).to.equal(first.fingerprint);
    await service.close(1000);
  });

  it('keeps serving the current pair when the new one is broken, logs why, and takes a later good one', async function () {
    const dir = await mkdtemp(join(base, 'broken-'));
    const [first, stranger, good] = [await root.server(), await root.server(), await root.server()];
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    await writeFile(cert, first.cert);
    await writeFile(key, first.key);
    const proxy = await serving(cert, key);
    const failed = (logs: LogCapture) =>
      logs.records().filter((r) => r['event'] === 'tls_reload_failed');

    // A key that belongs to another certificate.
    await writeFile(key, stranger.key);
    const mismatch = await until(async () => failed(proxy.logs)[0]);
    expect(mismatch).to.include({ listener: 'proxy', level: 'error' });
    expect(mismatch['reason']).to.equal(
      'PROXY_TLS_KEY_FILE: the key does not match the certificate in PROXY_TLS_CERT_FILE',
    );
    expect((await proxy.fresh()).fingerprint).to.equal(first.fingerprint);

    // A half-written certificate.
    await writeFile(key, first.key);
    await writeFile(cert, first.cert.slice(0, 200));
    await until(async () => (failed(proxy.logs).length >= 2 ? true : undefined));
    expect(failed(proxy.logs).at(-1)?.['reason']).to.match(/^PROXY_TLS_CERT_FILE: /);
    expect((await proxy.fresh()).fingerprint).to.equal(first.fingerprint);
    expect(await reloads(proxy.service, 'failure')).to.be.at.least(2);
    expect(await lastReloadSuccessful(proxy.service), 'still failing').to.equal(0);

    await writeFile(cert, good.cert);
    await writeFile(key, good.key);
    await proxy.rotatedTo(good);
    expect(await lastReloadSuccessful(proxy.service), 'good again').to.equal(1);
    // The reasons name the variables and the fault, never a line of a key.
    for (const line of proxy.logs.lines) {
      expect(line).not.to.include('PRIVATE KEY');
    }
    await proxy.agent.close();
    await proxy.service.close(1000);
  });
});
