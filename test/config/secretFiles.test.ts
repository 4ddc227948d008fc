import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { minimal, problems } from './support.js';

const secretNames = [
  'SCRIBE_PASSWORD',
  'SCRIBE_CLIENT_SECRET',
  'SCRIBE_REFRESH_TOKEN',
  'SCRIBE_MFA_SECRET',
  'ADMIN_TOKEN',
  'PROXY_CLIENT_TOKEN',
] as const;

describe('secrets from files (*_FILE)', function () {
  let dir: string;
  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-secrets-'));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every secret from its *_FILE, trailing newline trimmed', async function () {
    const env: Record<string, string> = { ...minimal };
    delete env['SCRIBE_PASSWORD'];
    const values: Record<string, string> = {
      SCRIBE_PASSWORD: 'pass word with spaces ',
      SCRIBE_CLIENT_SECRET: 'client-secret-value',
      SCRIBE_REFRESH_TOKEN: 'refresh-token-value',
      SCRIBE_MFA_SECRET: 'JBSWY3DPEHPK3PXP',
      ADMIN_TOKEN: 'admin-Token-0123456789',
      PROXY_CLIENT_TOKEN: 'client-Token-0123456789',
    };
    for (const name of secretNames) {
      const file = join(dir, name.toLowerCase());
      await writeFile(file, `${values[name]}\n`, { mode: 0o600 });
      env[`${name}_FILE`] = file;
    }
    const config = loadConfig(env);
    expect(config).to.include({
      password: 'pass word with spaces ',
      clientSecret: 'client-secret-value',
      refreshToken: 'refresh-token-value',
      mfaSecret: 'JBSWY3DPEHPK3PXP',
      adminToken: 'admin-Token-0123456789',
      proxyClientToken: 'client-Token-0123456789',
    });
  });

  it('refuses both forms of one secret, and a file it cannot read, naming each', async function () {
    const file = join(dir, 'password');
    await writeFile(file, 'from-the-file\n');
    const found = problems({
      ...minimal,
      SCRIBE_PASSWORD_FILE: file,
      ADMIN_TOKEN: 'admin-Token-0123456789',
      ADMIN_TOKEN_FILE: join(dir, 'missing'),
      SCRIBE_MFA_SECRET_FILE: join(dir, 'missing-too'),
    });
    expect(found[0]).to.equal(
      'invalid setting: set SCRIBE_PASSWORD or SCRIBE_PASSWORD_FILE, not both',
    );
    expect(found[1]).to.include('ADMIN_TOKEN_FILE').and.include('not both');
    expect(found[2]).to.include('SCRIBE_MFA_SECRET_FILE').and.include('ENOENT');
    expect(found.join('\n')).to.not.include('from-the-file');
  });

  it('a weak token read from a file is named with the file variable that gave it', async function () {
    const file = join(dir, 'short-admin-token');
    await writeFile(file, 'too-short\n', { mode: 0o600 });
    let message = '';
    try {
      loadConfig({ ...minimal, ADMIN_TOKEN_FILE: file });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.include(
      'ADMIN_TOKEN (read from the file ADMIN_TOKEN_FILE names) must be at least 16 characters',
    );
  });

  it('per-client mode refuses the account secrets in their file form too', async function () {
    const { SCRIBE_USERNAME: _u, SCRIBE_PASSWORD: _p, ...pools } = minimal;
    const file = join(dir, 'pw');
    await writeFile(file, 'pw\n');
    const found = problems({ ...pools, PROXY_SESSIONS: 'per-client', SCRIBE_PASSWORD_FILE: file });
    expect(found).to.have.length(1);
    expect(found[0]).to.include('SCRIBE_PASSWORD_FILE').and.include('per-client');
  });
});
