import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { runCli } from '../support/cli.js';
import { CognitoLocal, type TestPool } from '../support/cognitoLocal.js';

describe('the CLI account commands', function () {
  this.timeout(60_000);
  let cognito: CognitoLocal;
  let pool: TestPool;
  let env: Record<string, string>;
  let dir: string;

  before(async function () {
    cognito = await CognitoLocal.start({ code: '654321' });
    pool = await cognito.createPool();
    env = { SCRIBE_CLIENT_ID: pool.clientId, SCRIBE_COGNITO_ENDPOINT: cognito.endpoint };
    dir = await mkdtemp(join(tmpdir(), 'scribe-cli-'));
  });
  after(async function () {
    await cognito?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('login writes a 0600 session file whose token refreshes; revoke kills it and deletes the file', async function () {
    await cognito.createUser(pool, 'cli-login', 'Login-Passw0rd!');
    const file = join(dir, 'session.json');
    const login = await runCli(['login', '--username', 'cli-login', '--session-file', file], {
      ...env,
      SCRIBE_PASSWORD: 'Login-Passw0rd!',
    });
    expect(login.code, login.stderr).to.equal(0);
    expect(login.stdout).to.not.include('Login-Passw0rd!');
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const { refreshToken } = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8')) as {
      refreshToken: string;
    };
    const refreshed = await runCli(['tokens', '--refresh-token', refreshToken], env);
    expect(refreshed.code, refreshed.stderr).to.equal(0);

    const revoke = await runCli(['revoke', '--session-file', file], env);
    expect(revoke.code, revoke.stderr).to.equal(0);
    await stat(file).then(
      () => expect.fail('the session file is still there'),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
    );
    const after = await runCli(['tokens', '--refresh-token', refreshToken], env);
    expect(after.code).to.equal(1);
    expect(after.stderr).to.include('log in again');
  });

  it("revoke --session-file with SCRIBE_REFRESH_TOKEN also set: refuses when they differ, else revokes the file's token", async function () {
    await cognito.createUser(pool, 'cli-two-sources', 'Two-Sources-Passw0rd!');
    const file = join(dir, 'two-sources.json');
    const withPassword = { ...env, SCRIBE_PASSWORD: 'Two-Sources-Passw0rd!' };
    const login = await runCli(
      ['login', '--username', 'cli-two-sources', '--session-file', file],
      withPassword,
    );
    expect(login.code, login.stderr).to.equal(0);
    const other = await runCli(['tokens', '--username', 'cli-two-sources'], withPassword);
    const otherToken = (JSON.parse(other.stdout) as { refreshToken: string }).refreshToken;
    const fileToken = (JSON.parse(await readFile(file, 'utf8')) as { refreshToken: string })
      .refreshToken;

    // In a .env in the working directory, as in the environment.
    await writeFile(join(dir, '.env'), `SCRIBE_REFRESH_TOKEN=${otherToken}\n`);
    const refused = await runCli(['revoke', '--session-file', file], env, dir);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include('SCRIBE_REFRESH_TOKEN').and.include(file);
    expect(refused.stderr).to.not.include(otherToken).and.not.include(fileToken);
    await stat(file); // still there, and both tokens still work
    for (const token of [fileToken, otherToken]) {
      const still = await runCli(['tokens', '--refresh-token', token], env);
      expect(still.code, still.stderr).to.equal(0);
    }

    await writeFile(join(dir, '.env'), `SCRIBE_REFRESH_TOKEN=${fileToken}\n`);
    const revoked = await runCli(['revoke', '--session-file', file], env, dir);
    await rm(join(dir, '.env'));
    expect(revoked.code, revoked.stderr).to.equal(0);
    const dead = await runCli(['tokens', '--refresh-token', fileToken], env);
    expect(dead.code).to.equal(1);
    await stat(file).then(
      () => expect.fail('the session file is still there'),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
    );
  });

  it('revoke with nothing to revoke exits 2', async function () {
    const result = await runCli(['revoke', '--session-file', join(dir, 'none.json')], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('nothing to revoke');
  });

  it('change-password replaces a temporary password, then the new one logs in', async function () {
    await cognito.createUser(pool, 'cli-temp', 'Temp-Passw0rd!', { temporary: true });
    const missing = await runCli(['change-password', '--username', 'cli-temp'], {
      ...env,
      SCRIBE_PASSWORD: 'Temp-Passw0rd!',
    });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('SCRIBE_NEW_PASSWORD');
    const changed = await runCli(['change-password', '--username', 'cli-temp'], {
      ...env,
      SCRIBE_PASSWORD: 'Temp-Passw0rd!',
      SCRIBE_NEW_PASSWORD: 'Chosen-Passw0rd!',
    });
    expect(changed.code, changed.stderr).to.equal(0);
    const login = await runCli(['tokens', '--username', 'cli-temp'], {
      ...env,
      SCRIBE_PASSWORD: 'Chosen-Passw0rd!',
    });
    expect(login.code, login.stderr).to.equal(0);
  });

  it('change-password changes an ordinary password', async function () {
    await cognito.createUser(pool, 'cli-change', 'Old-Passw0rd!');
    const changed = await runCli(['change-password', '--username', 'cli-change'], {
      ...env,
      SCRIBE_PASSWORD: 'Old-Passw0rd!',
      SCRIBE_NEW_PASSWORD: 'New-Passw0rd!',
    });
    expect(changed.code, changed.stderr).to.equal(0);
    const old = await runCli(['tokens', '--username', 'cli-change'], {
      ...env,
      SCRIBE_PASSWORD: 'Old-Passw0rd!',
    });
    expect(old.code).to.equal(1);
  });

  it('forgot-password then confirm-password with the code', async function () {
    await cognito.createUser(pool, 'cli-forgot', 'Forgot-Passw0rd!');
    const forgot = await runCli(['forgot-password', '--username', 'cli-forgot'], env);
    expect(forgot.code, forgot.stderr).to.equal(0);
    expect(JSON.parse(forgot.stdout)).to.include({ sent: true, deliveryMedium: 'EMAIL' });
    const wrong = await runCli(
      ['confirm-password', '--username', 'cli-forgot', '--code', '111111'],
      {
        ...env,
        SCRIBE_NEW_PASSWORD: 'Reset-Passw0rd!',
      },
    );
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.include('check the code');
    const right = await runCli(
      ['confirm-password', '--username', 'cli-forgot', '--code', '654321'],
      {
        ...env,
        SCRIBE_NEW_PASSWORD: 'Reset-Passw0rd!',
      },
    );
    expect(right.code, right.stderr).to.equal(0);
    const login = await runCli(['tokens', '--username', 'cli-forgot'], {
      ...env,
      SCRIBE_PASSWORD: 'Reset-Passw0rd!',
    });
    expect(login.code, login.stderr).to.equal(0);
  });

  it('mfa-setup prints the secret and a URI, and --code finishes it', async function () {
    await cognito.createUser(pool, 'cli-mfa-setup', 'Mfa-Setup-Passw0rd!');
    const withPassword = { ...env, SCRIBE_PASSWORD: 'Mfa-Setup-Passw0rd!' };
    const start = await runCli(['mfa-setup', '--username', 'cli-mfa-setup'], withPassword);
    expect(start.code, start.stderr).to.equal(0);
    // Without a terminal, stdout is the JSON alone (a script parses it); the how-to is on stderr.
    const printed = JSON.parse(start.stdout) as { secret: string; otpauthUri: string };
    expect(start.stderr).to.include('--code');
    expect(printed.otpauthUri).to.match(/^otpauth:\/\/totp\/.*secret=/);
    const finish = await runCli(
      [
        'mfa-setup',
        '--username',
        'cli-mfa-setup',
        '--code',
        generateSync({ secret: printed.secret }),
      ],
      withPassword,
    );
    expect(finish.code, finish.stderr).to.equal(0);
    const challenged = await runCli(['tokens', '--username', 'cli-mfa-setup'], withPassword);
    expect(challenged.code).to.equal(2);
    expect(challenged.stderr).to.include('MFA code required');
    const unattended = await runCli(['tokens', '--username', 'cli-mfa-setup'], {
      ...withPassword,
      SCRIBE_MFA_SECRET: printed.secret,
    });
    expect(unattended.code, unattended.stderr).to.equal(0);
  });
});
