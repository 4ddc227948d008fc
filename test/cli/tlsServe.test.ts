import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type Issued, type TestCa } from '../support/certificates.js';
import { cliBin, runCli } from '../support/cli.js';
import { registerLogLines } from '../support/secretScan.js';
import { TcpRelay } from '../support/tcpRelay.js';
import { handshake } from '../support/tlsClient.js';

describe('scribe-proxy serve with TLS', function () {
  this.timeout(40_000);
  let dir: string;
  let ca: TestCa;
  let relay: TcpRelay;
  const account = {
    SCRIBE_CLIENT_ID: 'client',
    SCRIBE_USER_POOL_ID: 'eu-west-2_hanging',
    SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:hanging',
    SCRIBE_USERNAME: 'someone',
    SCRIBE_PASSWORD: 'Some-Passw0rd!',
    PROXY_PORT: '0',
    ADMIN_PORT: '0',
  };

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-tls-cli-'));
    ca = await createTestCa();
    // Accepts every connection and never answers: the first login waits, the listeners serve.
    relay = await new TcpRelay(new URL('http://127.0.0.1:9')).start();
    relay.set('blackhole');
  });
  after(async function () {
    await relay?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start on a key that does not match its certificate: exit 2, naming it with every other problem', async function () {
    const [one, two] = [await ca.server(), await ca.server()];
    await writeFile(join(dir, 'one.crt'), one.cert);
    await writeFile(join(dir, 'two.key'), two.key);
    const result = await runCli(['serve'], {
      ...account,
      SCRIBE_CLIENT_ID: '',
      PROXY_TLS_CERT_FILE: join(dir, 'one.crt'),
      PROXY_TLS_KEY_FILE: join(dir, 'two.key'),
    });
    registerLogLines(`${result.stdout}\n${result.stderr}`.split('\n'));
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.include(
      'PROXY_TLS_KEY_FILE: the key does not match the certificate in PROXY_TLS_CERT_FILE',
    );
    expect(result.stderr).to.include('SCRIBE_CLIENT_ID is missing');
    expect(result.stderr).not.to.include('PRIVATE KEY');
  });

  it('reloads the files on SIGHUP, also where no watch can see the change', async function () {
    // The configured files are links into another folder: writes there are not seen by the
    // watch on the configured folder (as with some bind mounts); SIGHUP reads them anyway.
    const store = join(dir, 'store');
    const mounted = join(dir, 'mounted');
    await mkdir(store);
    await mkdir(mounted);
    const write = async (pair: Issued) => {
      await writeFile(join(store, 'tls.crt'), pair.cert);
      await writeFile(join(store, 'tls.key'), pair.key);
    };
    const [first, next] = [await ca.server(), await ca.server()];
    await write(first);
    await symlink(join(store, 'tls.crt'), join(mounted, 'tls.crt'));
    await symlink(join(store, 'tls.key'), join(mounted, 'tls.key'));

    const child = spawn(process.execPath, [cliBin, 'serve'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        ...account,
        SCRIBE_COGNITO_ENDPOINT: relay.url,
        SCRIBE_IDENTITY_ENDPOINT: relay.url,
        PROXY_TLS_CERT_FILE: join(mounted, 'tls.crt'),
        PROXY_TLS_KEY_FILE: join(mounted, 'tls.key'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    registerLogLines(lines);
    let out = '';
    const take = (c: Buffer) => {
      out += c.toString();
      lines.splice(0, lines.length, ...out.split('\n'));
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 15_000;
      while (!pattern.test(out) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return pattern.exec(out);
    };
    try {
      const listening = await waitFor(/"event":"listening".*?"proxy":"(https:[^"]+)"/);
      expect(listening, out).not.to.equal(null);
      const proxyUrl = listening?.[1] as string;
      expect(await handshake(proxyUrl, { ca: ca.cert })).to.include({
        fingerprint: first.fingerprint,
      });

      await write(next);
      // Longer than the watch's quiet time: nothing saw the change.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await handshake(proxyUrl, { ca: ca.cert })).to.include({
        fingerprint: first.fingerprint,
      });
      child.kill('SIGHUP');
      expect(await waitFor(/"event":"tls_reloaded"[^\n]*"trigger":"SIGHUP"/), out).not.to.equal(
        null,
      );
      expect(await handshake(proxyUrl, { ca: ca.cert })).to.include({
        fingerprint: next.fingerprint,
      });
      expect(child.exitCode, 'SIGHUP does not end the process').to.equal(null);
      child.kill('SIGTERM');
      expect(await exited, out).to.equal(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
