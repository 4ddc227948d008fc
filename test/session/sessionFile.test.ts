import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadSavedSession,
  readSessionFile,
  SessionFileError,
  writeSessionFile,
} from '../../src/session/index.js';

async function refusal(promise: Promise<unknown>): Promise<SessionFileError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SessionFileError) return err;
    throw err;
  }
  throw new Error('expected a SessionFileError');
}

/** An unsigned JWT whose payload names `username`, as cognito-local's refresh tokens are. */
function jwtNaming(username: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ 'cognito:username': username })}.`;
}

describe('the session file', function () {
  let dir: string;
  let n = 0;
  const file = () => join(dir, `session-${++n}.json`);
  const saved = async (contents: string, mode = 0o600) => {
    const path = file();
    await writeFile(path, contents, { mode });
    await chmod(path, mode);
    return path;
  };

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-session-file-'));
  });
  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads what writeSessionFile wrote, 0600, and a missing file is no session', async function () {
    const path = file();
    await writeSessionFile(path, { refreshToken: 'token-1', username: 'alice' });
    expect(await readSessionFile(path)).to.include({ refreshToken: 'token-1', username: 'alice' });
    expect(await readSessionFile(join(dir, 'none.json'))).to.equal(undefined);
  });

  it('keeps the settings beside the token; a file with only the token still reads', async function () {
    const path = file();
    const settings = {
      clientId: 'client-1',
      userPoolId: 'eu-west-2_pool',
      identityPoolId: 'eu-west-2:identity-pool',
      region: 'eu-west-2',
      cognitoEndpoint: 'http://127.0.0.1:9229',
      identityId: 'eu-west-2:identity-1',
    };
    await writeSessionFile(path, { refreshToken: 'token-5', username: 'alice', ...settings });
    expect(await readSessionFile(path)).to.include({ refreshToken: 'token-5', ...settings });
    const older = await saved(JSON.stringify({ refreshToken: 'token-6', savedAt: 'then' }));
    const read = await readSessionFile(older);
    expect(read).to.include({ refreshToken: 'token-6' });
    expect(read?.clientId).to.equal(undefined);
    const odd = await saved(JSON.stringify({ refreshToken: 'token-7', clientId: 42 }));
    expect((await refusal(readSessionFile(odd))).message).to.include('clientId');
  });

  it('refuses a file that group or others can read, naming it and the fix', async function () {
    const path = await saved(JSON.stringify({ refreshToken: 'planted' }), 0o644);
    const err = await refusal(readSessionFile(path));
    expect(err.kind).to.equal('unsafe');
    expect(err.message).to.include(path).and.include('chmod 600');
    expect(err.message).to.not.include('planted');
  });

  it('refuses a file another user owns (a token planted in a shared directory)', async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a file away
    const path = await saved(JSON.stringify({ refreshToken: 'planted' }));
    await chown(path, 4242, 4242);
    const err = await refusal(readSessionFile(path));
    expect(err.kind).to.equal('unsafe');
    expect(err.message).to.include(path).and.include('4242');
  });

  it('names the file when it is damaged: empty, null, a bare BOM, no token, a directory', async function () {
    const damaged = [
      await saved(''),
      await saved('null'),
      await saved('\uFEFF'),
      await saved('{"username":"alice"}'),
      await saved('{"refreshToken":'),
    ];
    const directory = file();
    await mkdir(directory, { mode: 0o700 });
    damaged.push(directory);
    for (const path of damaged) {
      const err = await refusal(readSessionFile(path));
      expect(err.kind, path).to.equal('damaged');
      expect(err.message, path).to.include(path);
    }
    // A BOM before valid contents (an editor's doing) is not damage.
    const bom = await saved(`\uFEFF${JSON.stringify({ refreshToken: 'token-2' })}`);
    expect(await readSessionFile(bom)).to.include({ refreshToken: 'token-2' });
  });

  it('damaged with a password configured: warns naming the file, and the password is used', async function () {
    const path = await saved('null');
    const warnings: string[] = [];
    const loaded = await loadSavedSession(path, {
      username: 'alice',
      hasPassword: true,
      warn: (message) => warnings.push(message),
    });
    expect(loaded).to.equal(undefined);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include(path).and.include('password');
    const err = await refusal(loadSavedSession(path, { username: 'alice', hasPassword: false }));
    expect(err.message).to.include(path);
  });

  it("refuses a file holding another account than SCRIBE_USERNAME, from what it stores or its token's claims", async function () {
    const stored = await saved(JSON.stringify({ refreshToken: 'token-3', username: 'mallory' }));
    const err = await refusal(loadSavedSession(stored, { username: 'alice', hasPassword: true }));
    expect(err.kind).to.equal('other-account');
    expect(err.message).to.include(stored).and.include('mallory').and.include('SCRIBE_USERNAME');
    const claimed = await saved(JSON.stringify({ refreshToken: jwtNaming('mallory') }));
    const fromClaims = await refusal(
      loadSavedSession(claimed, { username: 'alice', hasPassword: false }),
    );
    expect(fromClaims.message).to.include('mallory');
    // The pool compares user names case-insensitively; so does this check.
    const same = await saved(JSON.stringify({ refreshToken: 'token-4', username: 'Alice' }));
    expect(await loadSavedSession(same, { username: 'alice', hasPassword: false })).to.include({
      refreshToken: 'token-4',
    });
    // Without SCRIBE_USERNAME, the file says who the session is.
    expect(await loadSavedSession(stored, { username: undefined, hasPassword: false })).to.include({
      username: 'mallory',
    });
  });

  it('a write that fails (file size limit, as a full disk) leaves no temp file behind', async function () {
    const target = await mkdtemp(join(dir, 'full-'));
    const module = fileURLToPath(new URL('../../src/session/sessionFile.js', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then((m) => m.writeSessionFile(${JSON.stringify(
      join(target, 'session.json'),
    )}, { refreshToken: 'x'.repeat(4096) })).then(() => console.log('written'), (e) => console.log(e.code))`;
    // A file size limit of 0 makes every write fail (EFBIG), as ENOSPC does on a full disk.
    const child = spawn(
      'sh',
      ['-c', `trap '' XFSZ; ulimit -f 0; exec "$0" -e "$1"`, process.execPath, script],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(out.trim()).to.equal('EFBIG');
    expect(await readdir(target)).to.deep.equal([]);
  });
});
