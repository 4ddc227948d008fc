import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { createTestCa, type TestCa } from './support/certificates.js';

const minimal = {
  SCRIBE_CLIENT_ID: 'client',
  SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
  SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:pool',
  SCRIBE_USERNAME: 'me',
  SCRIBE_PASSWORD: 'pw',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...minimal, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('TLS settings, checked at start', function () {
  this.timeout(20_000);
  let dir: string;
  let ca: TestCa;
  const file = (name: string) => join(dir, name);

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-tls-settings-'));
    ca = await createTestCa();
    const [good, other, expired, early] = [
      await (await ca.intermediate('intermediate')).server(),
      await ca.server(),
      await ca.server({
        notBefore: new Date(Date.now() - 10 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      }),
      await ca.server({
        notBefore: new Date('2090-01-01T00:00:00Z'),
        notAfter: new Date('2091-01-01T00:00:00Z'),
      }),
    ];
    await writeFile(file('good.crt'), good.cert);
    await writeFile(file('good.key'), good.key);
    await writeFile(file('other.key'), other.key);
    await writeFile(file('expired.crt'), expired.cert);
    await writeFile(file('expired.key'), expired.key);
    await writeFile(file('early.crt'), early.cert);
    await writeFile(file('early.key'), early.key);
    await writeFile(file('ca.crt'), ca.cert);
    await writeFile(file('garbage.crt'), 'not a certificate\n');
  });
  after(async function () {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves plain HTTP by default, with TLSv1.2 as the floor', function () {
    const config = loadConfig(minimal);
    expect(config.proxyTls).to.equal(undefined);
    expect(config.adminTls).to.equal(undefined);
    expect(config.tlsMinVersion).to.equal('TLSv1.2');
  });

  it('accepts a pair whose certificate file holds a chain, and a client CA', function () {
    const config = loadConfig({
      ...minimal,
      PROXY_TLS_CERT_FILE: file('good.crt'),
      PROXY_TLS_KEY_FILE: file('good.key'),
      ADMIN_TLS_CERT_FILE: file('good.crt'),
      ADMIN_TLS_KEY_FILE: file('good.key'),
      ADMIN_TLS_CLIENT_CA_FILE: file('ca.crt'),
      TLS_MIN_VERSION: 'TLSv1.3',
    });
    expect(config.proxyTls).to.include({ certFile: file('good.crt'), clientCaFile: undefined });
    expect(config.adminTls).to.include({ clientCaFile: file('ca.crt') });
    expect(config.tlsMinVersion).to.equal('TLSv1.3');
  });

  it('refuses one file without its pair, and a client CA without a pair', function () {
    expect(
      problems({
        PROXY_TLS_CERT_FILE: file('good.crt'),
        ADMIN_TLS_KEY_FILE: file('good.key'),
        PROXY_TLS_CLIENT_CA_FILE: file('ca.crt'),
      }),
    ).to.deep.equal([
      'missing setting: PROXY_TLS_KEY_FILE (PROXY_TLS_CERT_FILE is set)',
      'missing setting: ADMIN_TLS_CERT_FILE (ADMIN_TLS_KEY_FILE is set)',
    ]);
    expect(problems({ ADMIN_TLS_CLIENT_CA_FILE: file('ca.crt') })).to.deep.equal([
      'invalid setting: ADMIN_TLS_CLIENT_CA_FILE needs ADMIN_TLS_CERT_FILE and ADMIN_TLS_KEY_FILE',
    ]);
  });

  it('names the variable of every unusable file, with every other problem, at once', function () {
    const found = problems({
      SCRIBE_CLIENT_ID: '',
      PROXY_TLS_CERT_FILE: file('good.crt'),
      PROXY_TLS_KEY_FILE: file('other.key'),
      ADMIN_TLS_CERT_FILE: file('expired.crt'),
      ADMIN_TLS_KEY_FILE: file('expired.key'),
      TLS_MIN_VERSION: 'TLSv1.1',
    });
    expect(found).to.have.length(4);
    expect(found).to.include('missing setting: SCRIBE_CLIENT_ID');
    expect(found).to.include(
      'invalid setting: PROXY_TLS_KEY_FILE: the key does not match the certificate in PROXY_TLS_CERT_FILE',
    );
    expect(found.find((p) => p.includes('ADMIN_TLS_CERT_FILE'))).to.match(
      /^invalid setting: ADMIN_TLS_CERT_FILE: the certificate expired on \d{4}-/,
    );
    expect(found).to.include('invalid setting: TLS_MIN_VERSION must be TLSv1.2 or TLSv1.3');
  });

  it('refuses a certificate not valid yet (valid from 2090): no client would accept it', function () {
    expect(
      problems({ PROXY_TLS_CERT_FILE: file('early.crt'), PROXY_TLS_KEY_FILE: file('early.key') }),
    ).to.deep.equal([
      'invalid setting: PROXY_TLS_CERT_FILE: the certificate is not valid before 2090-01-01T00:00:00.000Z (this machine says it is earlier)',
    ]);
  });

  it('names a missing, unreadable or damaged file', function () {
    const found = problems({
      PROXY_TLS_CERT_FILE: file('garbage.crt'),
      PROXY_TLS_KEY_FILE: file('good.key'),
      ADMIN_TLS_CERT_FILE: file('good.crt'),
      ADMIN_TLS_KEY_FILE: file('nowhere.key'),
      ADMIN_TLS_CLIENT_CA_FILE: file('garbage.crt'),
    });
    expect(found).to.deep.equal([
      'invalid setting: PROXY_TLS_CERT_FILE: holds no PEM certificate',
      `invalid setting: ADMIN_TLS_KEY_FILE: cannot read ${file('nowhere.key')} (ENOENT)`,
    ]);
    // The client CA's own fault shows once the pair is right.
    expect(
      problems({
        ADMIN_TLS_CERT_FILE: file('good.crt'),
        ADMIN_TLS_KEY_FILE: file('good.key'),
        ADMIN_TLS_CLIENT_CA_FILE: file('garbage.crt'),
      }),
    ).to.deep.equal(['invalid setting: ADMIN_TLS_CLIENT_CA_FILE: holds no PEM certificate']);
    // A folder where a file should be (root reads files whatever their mode).
    expect(
      problems({ PROXY_TLS_CERT_FILE: file('good.crt'), PROXY_TLS_KEY_FILE: dir }),
    ).to.deep.equal([`invalid setting: PROXY_TLS_KEY_FILE: cannot read ${dir} (EISDIR)`]);
  });
});
