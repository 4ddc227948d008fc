import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { CognitoLocal, type TestPool } from '../support/cognitoLocal.js';

const password = 'Secret-Input-Passw0rd!';

describe('secrets given to the CLI', function () {
  this.timeout(40_000);
  let cognito: CognitoLocal;
  let pool: TestPool;
  let env: Record<string, string>;
  let dir: string;

  before(async function () {
    cognito = await CognitoLocal.start();
    pool = await cognito.createPool();
    await cognito.createUser(pool, 'secret-input', password);
    env = { SCRIBE_CLIENT_ID: pool.clientId, SCRIBE_COGNITO_ENDPOINT: cognito.endpoint };
    dir = await mkdtemp(join(tmpdir(), 'scribe-cli-secrets-'));
  });
  after(async function () {
    await cognito?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a password on argv still works, with a warning on stderr naming the safer ways', async function () {
    const result = await runCli(
      ['tokens', '--username', 'secret-input', '--password', password],
      env,
    );
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.include('--password').and.include('--password-file');
    expect(result.stderr).to.include('standard input').and.not.include(password);
    expect(JSON.parse(result.stdout)).to.have.property('accessToken');
  });

  it('--password-file reads a file, --password-file - reads standard input, without a warning', async function () {
    const file = join(dir, 'password');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    const fromFile = await runCli(
      ['tokens', '--username', 'secret-input', '--password-file', file],
      env,
    );
    expect(fromFile.code, fromFile.stderr).to.equal(0);
    expect(fromFile.stderr).to.not.include('--password');
    const fromStdin = await runCli(
      ['tokens', '--username', 'secret-input', '--password-file', '-'],
      env,
      undefined,
      `${password}\n`,
    );
    expect(fromStdin.code, fromStdin.stderr).to.equal(0);
    expect(fromStdin.stderr).to.not.include('--password');
  });

  it('SCRIBE_PASSWORD_FILE works for the CLI as for serve; both forms at once is a usage error', async function () {
    const file = join(dir, 'password-env');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    const fromEnv = await runCli(['tokens', '--username', 'secret-input'], {
      ...env,
      SCRIBE_PASSWORD_FILE: file,
    });
    expect(fromEnv.code, fromEnv.stderr).to.equal(0);
    const both = await runCli(['tokens', '--username', 'secret-input'], {
      ...env,
      SCRIBE_PASSWORD: password,
      SCRIBE_PASSWORD_FILE: file,
    });
    expect(both.code).to.equal(2);
    expect(both.stderr).to.include('SCRIBE_PASSWORD_FILE').and.include('not both');
    const flags = await runCli(
      ['tokens', '--username', 'secret-input', '--password', 'x', '--password-file', file],
      env,
    );
    expect(flags.code).to.equal(2);
    expect(flags.stderr).to.include('not both');
    const missing = await runCli(
      ['tokens', '--username', 'secret-input', '--password-file', join(dir, 'nope')],
      env,
    );
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('--password-file').and.include('ENOENT');
  });

  it('every secret flag has its -file form, shown in the help', async function () {
    const help = await runCli(['tokens', '--help']);
    for (const flag of [
      'password',
      'refresh-token',
      'mfa-secret',
      'client-secret',
      'new-password',
    ]) {
      expect(help.stdout).to.include(`--${flag}-file`);
    }
    const revoke = await runCli(['revoke', '--help']);
    expect(revoke.stdout).to.include('--refresh-token-file');
  });
});
