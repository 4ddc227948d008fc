import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  credentialCacheBinding,
  credentialCacheMarginMs,
  freshCachedCredentials,
  readCredentialCache,
  SessionFileError,
  writeCredentialCache,
} from '../../src/session/index.js';

describe('the credential cache', function () {
  let dir: string;
  let n = 0;
  const path = () => join(dir, `cache-${++n}`, 'credentials.json');
  const binding = credentialCacheBinding({ refreshToken: 'token-1', clientId: 'client-1' });
  const credentials = (inMs: number) => ({
    accessKeyId: 'ASIAEXAMPLE',
    secretKey: 'secret-key',
    sessionToken: 'session-token',
    expiration: new Date(Date.now() + inMs),
  });

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-credential-cache-'));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back what it wrote, 0600 in a 0700 directory, without the token it is bound to', async function () {
    const file = path();
    await writeCredentialCache(file, binding, {
      identityId: 'id-1',
      credentials: credentials(3600_000),
    });
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect((await stat(join(file, '..'))).mode & 0o777).to.equal(0o700);
    expect(await readFile(file, 'utf8')).to.not.include('token-1');
    const entry = await readCredentialCache(file, binding);
    expect(entry?.identityId).to.equal('id-1');
    expect(freshCachedCredentials(entry)?.accessKeyId).to.equal('ASIAEXAMPLE');
    expect(await readdir(join(file, '..'))).to.deep.equal(['credentials.json']);
  });

  it("is not another binding's: another token, account or pool reads nothing", async function () {
    const file = path();
    await writeCredentialCache(file, binding, {
      identityId: 'id-1',
      credentials: credentials(3600_000),
    });
    for (const other of [
      { refreshToken: 'token-2', clientId: 'client-1' },
      { refreshToken: 'token-1', clientId: 'client-2' },
      { refreshToken: 'token-1', clientId: 'client-1', username: 'mallory' },
    ]) {
      expect(await readCredentialCache(file, credentialCacheBinding(other))).to.equal(undefined);
    }
  });

  it('serves no credentials that expire within the 15-minute margin', function () {
    expect(credentialCacheMarginMs).to.equal(15 * 60_000);
    const entry = (inMs: number) => ({ identityId: 'id-1', credentials: credentials(inMs) });
    expect(freshCachedCredentials(entry(16 * 60_000))).to.not.equal(undefined);
    expect(freshCachedCredentials(entry(14 * 60_000))).to.equal(undefined);
    expect(freshCachedCredentials(entry(-1000))).to.equal(undefined);
    expect(freshCachedCredentials({ identityId: 'id-1' })).to.equal(undefined);
  });

  it('a damaged cache is no cache; one that others can read is refused, naming it', async function () {
    const file = path();
    await writeCredentialCache(file, binding, { identityId: 'id-1' });
    for (const damaged of ['', 'null', '{"binding":', JSON.stringify({ binding })]) {
      await writeFile(file, damaged);
      expect(await readCredentialCache(file, binding), damaged).to.equal(undefined);
    }
    await chmod(file, 0o644);
    try {
      await readCredentialCache(file, binding);
      expect.fail('a cache others can read was used');
    } catch (err) {
      expect(err).to.be.instanceOf(SessionFileError);
      expect((err as SessionFileError).kind).to.equal('unsafe');
      expect((err as Error).message)
        .to.include(file)
        .and.include('chmod 600');
    }
  });

  it('refuses a cache another user owns (credentials planted for this user to sign with)', async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a file away
    const file = path();
    await writeCredentialCache(file, binding, {
      identityId: 'id-1',
      credentials: credentials(3600_000),
    });
    await chown(file, 4242, 4242);
    const refused = await readCredentialCache(file, binding).then(
      () => undefined,
      (err: unknown) => err as SessionFileError,
    );
    expect(refused?.kind).to.equal('unsafe');
    expect(refused?.message).to.include(file).and.include('4242');
  });

  it('refuses a FIFO planted at its path at once instead of waiting for ever for a writer', async function () {
    const file = path();
    await mkdir(join(file, '..'), { recursive: true });
    execFileSync('mkfifo', ['-m', '600', file]);
    try {
      const refused = await Promise.race([
        readCredentialCache(file, binding).then(
          () => 'read',
          (err: unknown) => (err as SessionFileError).kind,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000)),
      ]);
      expect(refused).to.equal('damaged');
    } finally {
      // Frees a reader stuck in open(2), if any.
      await open(file, constants.O_WRONLY | constants.O_NONBLOCK).then(
        (handle) => handle.close(),
        () => undefined,
      );
    }
  });
});
