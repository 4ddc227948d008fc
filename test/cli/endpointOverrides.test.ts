import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, cliBin } from '../support/cli.js';
import { startProcess } from '../support/childProcess.js';

// Nothing listens on port 9 of loopback: a call there fails at once, after the start-up lines.
const closed = 'http://127.0.0.1:9';

describe('endpoint overrides', function () {
  this.timeout(30_000);

  it('a command refuses a plain-http Cognito endpoint off loopback (a .env could send the password there)', async function () {
    const result = await runCli(['tokens', '--username', 'someone'], {
      SCRIBE_CLIENT_ID: 'client',
      SCRIBE_PASSWORD: 'Some-Passw0rd!',
      SCRIBE_COGNITO_ENDPOINT: 'http://cognito.evil.example',
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('SCRIBE_COGNITO_ENDPOINT').and.include('https');
    expect(result.stderr).to.not.include('Some-Passw0rd!');
  });

  it('a command says on stderr which overrides are in force, and keeps stdout for its output', async function () {
    const result = await runCli(['forgot-password', '--username', 'someone'], {
      SCRIBE_CLIENT_ID: 'client',
      SCRIBE_COGNITO_ENDPOINT: closed,
    });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`SCRIBE_COGNITO_ENDPOINT=${closed}`);
    expect(result.stdout).to.equal('');
  });

  it('check, online or not, names the overrides in force on stderr as every other command does', async function () {
    const env = {
      SCRIBE_CLIENT_ID: 'client',
      SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
      SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:pool',
      SCRIBE_USERNAME: 'someone',
      SCRIBE_PASSWORD: 'Some-Passw0rd!',
      SCRIBE_COGNITO_ENDPOINT: closed,
      SCRIBE_IDENTITY_ENDPOINT: closed,
    };
    for (const args of [['check'], ['check', '--online']]) {
      const result = await runCli(args, env);
      expect(result.stderr, args.join(' ')).to.include(
        `scribe-proxy: endpoint override in force: SCRIBE_COGNITO_ENDPOINT=${closed}\n` +
          `scribe-proxy: endpoint override in force: SCRIBE_IDENTITY_ENDPOINT=${closed}\n`,
      );
      expect(result.stdout).to.not.include('endpoint override in force');
    }
  });

  it('serve logs the overrides in force at start, and refuses a plain-http one off loopback', async function () {
    const env = {
      PATH: process.env['PATH'] ?? '',
      SCRIBE_CLIENT_ID: 'client',
      SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
      SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:pool',
      SCRIBE_USERNAME: 'someone',
      SCRIBE_PASSWORD: 'Some-Passw0rd!',
      SCRIBE_COGNITO_ENDPOINT: closed,
      SCRIBE_IDENTITY_ENDPOINT: closed,
      PROXY_PORT: '0',
      ADMIN_PORT: '0',
    };
    const served = await startProcess(process.execPath, [cliBin, 'serve'], {
      env,
      name: 'serve',
      ready: /"event":"endpoint-overrides"[^\n]*"(SCRIBE_IDENTITY_ENDPOINT=[^"]+)"/,
    });
    await served.stop();
    expect(served.url).to.equal(`SCRIBE_IDENTITY_ENDPOINT=${closed}`);
    const refused = await runCli(['serve'], {
      ...env,
      SCRIBE_IDENTITY_ENDPOINT: 'http://identity.evil.example',
    });
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include('SCRIBE_IDENTITY_ENDPOINT');
  });

  it('credentials with an older session file (only the token) refuses endpoints that only a .env in the working directory gives: they would receive the refresh token', async function () {
    const place = await mkdtemp(join(tmpdir(), 'scribe-endpoint-dotenv-'));
    try {
      const cwd = join(place, 'project');
      await mkdir(cwd);
      const file = join(place, 'session.json');
      const refreshToken = 'refresh-token-of-the-victim';
      await writeFile(file, JSON.stringify({ refreshToken, username: 'someone' }), {
        mode: 0o600,
      });
      const pools =
        'SCRIBE_CLIENT_ID=client\nSCRIBE_USER_POOL_ID=eu-west-2_pool\nSCRIBE_IDENTITY_POOL_ID=eu-west-2:pool\n';
      // A cloned project's .env, where the aws CLI (credential_process) happens to run.
      await writeFile(
        join(cwd, '.env'),
        `${pools}SCRIBE_COGNITO_ENDPOINT=https://cognito.evil.example\n`,
      );
      const args = ['credentials', '--format', 'process', '--session-file', file];
      const refused = await runCli(args, { HOME: place }, cwd);
      expect(refused.code, refused.stderr).to.equal(2);
      expect(refused.stderr).to.include('SCRIBE_COGNITO_ENDPOINT').and.include('.env');
      expect(refused.stderr).to.not.include(refreshToken);
      // The same override from the environment is the user's own: it is used.
      await writeFile(join(cwd, '.env'), pools);
      const own = await runCli(args, { HOME: place, SCRIBE_COGNITO_ENDPOINT: closed }, cwd);
      expect(own.code).to.equal(1);
      expect(own.stderr).to.include(`SCRIBE_COGNITO_ENDPOINT=${closed}`);
    } finally {
      await rm(place, { recursive: true, force: true });
    }
  });
});
