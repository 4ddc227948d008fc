import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isChallenge, ScribeAuth } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { CognitoLocal, type TestPool } from '../support/cognitoLocal.js';
import { IdentityPoolEmulator } from '../support/identityPoolEmulator.js';
import { generateSync } from 'otplib';

const run = runCli;

describe('the scribe-proxy CLI', function () {
  this.timeout(40_000);
  let cognito: CognitoLocal;
  let pool: TestPool;
  let env: Record<string, string>;

  before(async function () {
    cognito = await CognitoLocal.start();
    pool = await cognito.createPool();
    await cognito.createUser(pool, 'cli-user', 'Cli-Passw0rd!');
    env = {
      SCRIBE_CLIENT_ID: pool.clientId,
      SCRIBE_USER_POOL_ID: pool.userPoolId,
      SCRIBE_COGNITO_ENDPOINT: cognito.endpoint,
    };
  });

  after(async function () {
    await cognito?.stop();
  });

  it('tokens prints the tokens as JSON, with the password from SCRIBE_PASSWORD', async function () {
    const result = await run(['tokens', '--username', 'cli-user'], {
      ...env,
      SCRIBE_PASSWORD: 'Cli-Passw0rd!',
    });
    expect(result.code, result.stderr).to.equal(0);
    const tokens = JSON.parse(result.stdout) as Record<string, string>;
    expect(tokens).to.have.keys('accessToken', 'idToken', 'refreshToken', 'expiresAt');
    expect(Date.parse(tokens['expiresAt'] ?? '')).to.be.greaterThan(Date.now());
  });

  it('every command reads .env from the working directory: tokens logs in with only .env', async function () {
    const dir = await mkdtemp(join(tmpdir(), 'scribe-cli-env-'));
    try {
      await writeFile(
        join(dir, '.env'),
        Object.entries({ ...env, SCRIBE_USERNAME: 'cli-user', SCRIBE_PASSWORD: 'Cli-Passw0rd!' })
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      );
      const result = await run(['tokens'], {}, dir);
      expect(result.code, result.stderr).to.equal(0);
      expect(JSON.parse(result.stdout)).to.have.property('accessToken');
      // A flag wins over the environment, which wins over .env.
      const flagWins = await run(['tokens', '--username', 'nobody-here'], {}, dir);
      expect(flagWins.code).to.equal(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--version prints the package version; a mistyped command suggests the right one', async function () {
    const version = await run(['--version']);
    expect(version.code).to.equal(0);
    const pkg = JSON.parse(
      await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(version.stdout.trim()).to.equal(pkg.version);
    const typo = await run(['serv']);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.include("did you mean 'serve'?");
  });

  it('serve refuses arguments by naming the variable to set, and never echoes a value (it may be a password)', async function () {
    const flag = await run(['serve', '--port', '9000']);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.include("'--port'").and.include('PROXY_PORT or ADMIN_PORT');
    const typo = await run(['serve', '--scribe-pasword=hunter2-Secret']);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.include('SCRIBE_PASSWORD').and.not.include('hunter2');
    const assignment = await run(['serve', 'SCRIBE_PASSWORD=hunter2-Secret']);
    expect(assignment.code).to.equal(2);
    expect(assignment.stderr)
      .to.include('SCRIBE_PASSWORD=... scribe-proxy serve')
      .and.not.include('hunter2');
    const misplaced = await run(['SCRIBE_PASSWORD=hunter2-Secret', 'serve']);
    expect(misplaced.code).to.equal(2);
    expect(misplaced.stderr).to.include('unknown command').and.not.include('hunter2');
    // A token from `openssl rand -base64 32` ends in `=`: the text before it is no variable name.
    const token = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo=';
    for (const args of [['serve', token], [token], ['tokens', '--password=', 'hunter2-Secret']]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr + result.stdout, args.join(' '))
        .to.include('not shown')
        .and.not.include('Zm9vYmFy')
        .and.not.include('hunter2');
    }
  });

  it('tokens with --refresh-token refreshes', async function () {
    const login = await run(['tokens', '--username', 'cli-user'], {
      ...env,
      SCRIBE_PASSWORD: 'Cli-Passw0rd!',
    });
    const { refreshToken } = JSON.parse(login.stdout) as { refreshToken: string };
    const result = await run(['tokens', '--refresh-token', refreshToken], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.include({ refreshToken });
  });

  it('a wrong password fails with a one-line error and exit 1', async function () {
    const result = await run(['tokens', '--username', 'cli-user'], {
      ...env,
      SCRIBE_PASSWORD: 'wrong-password',
    });
    expect(result.code).to.equal(1);
    // The endpoint override (this test's cognito-local) is named first, then the one error line.
    const lines = result.stderr.trim().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.include('SCRIBE_COGNITO_ENDPOINT=');
    expect(lines[1]).to.match(/check the username and password/);
    expect(result.stderr).to.not.include('wrong-password');
  });

  it('a missing client id prints a clear error and exits 2', async function () {
    const result = await run(['tokens', '--username', 'cli-user']);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.equal(
      'scribe-proxy tokens: missing --client-id (or SCRIBE_CLIENT_ID)',
    );
  });

  it('reads the egress variables as serve does: a bad NO_PROXY entry exits 2 before Cognito', async function () {
    const result = await run(['tokens', '--username', 'cli-user'], {
      ...env,
      SCRIBE_PASSWORD: 'Cli-Passw0rd!',
      NO_PROXY: '127.0.0.0/33',
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('NO_PROXY entry 127.0.0.0/33');
  });

  it('serve reports a bad NO_PROXY entry with every other problem, exit 2', async function () {
    const result = await run(['serve'], {
      SCRIBE_USER_POOL_ID: 'eu-west-2_pool',
      SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:pool',
      SCRIBE_USERNAME: 'me',
      SCRIBE_PASSWORD: 'pw',
      NO_PROXY: 'localhost,10.0.0.0/40',
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('NO_PROXY entry 10.0.0.0/40');
    expect(result.stderr).to.include('SCRIBE_CLIENT_ID');
  });

  it('no password and no terminal: says how to give one, exit 2', async function () {
    const result = await run(['tokens', '--username', 'cli-user'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('SCRIBE_PASSWORD');
  });

  it('an unknown flag or command exits 2 without a stack trace', async function () {
    const flag = await run(['tokens', '--nope']);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.not.match(/\n\s+at /);
    const command = await run(['frobnicate']);
    expect(command.code).to.equal(2);
    // A word near no command is not shown: it may be a password given in the wrong place.
    expect(command.stderr).to.include('unknown command (not shown').and.not.include('frobnicate');
    expect((await run(['serv'])).stderr).to.include("unknown command 'serv'");
  });

  it('--help works on every command', async function () {
    const commands = [
      'serve',
      'tokens',
      'credentials',
      'login',
      'change-password',
      'forgot-password',
      'confirm-password',
      'revoke',
      'mfa-setup',
    ];
    for (const args of [['--help'], ...commands.map((c) => [c, '--help'])]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).to.equal(0);
      expect(result.stdout).to.match(/^Usage: scribe-proxy/);
    }
  });

  it('answers MFA unattended with SCRIBE_MFA_SECRET', async function () {
    await cognito.createUser(pool, 'cli-mfa', 'Cli-Mfa-Passw0rd!');
    const auth = new ScribeAuth({
      clientId: pool.clientId,
      endpoints: { cognitoIdentityProvider: cognito.endpoint },
    });
    const login = await auth.getTokens({ username: 'cli-mfa', password: 'Cli-Mfa-Passw0rd!' });
    if (isChallenge(login)) throw new Error('unexpected challenge');
    const secret = await auth.associateSoftwareToken(login.accessToken);
    await auth.verifySoftwareToken(login.accessToken, generateSync({ secret }));
    auth.destroy();

    const without = await run(['tokens', '--username', 'cli-mfa'], {
      ...env,
      SCRIBE_PASSWORD: 'Cli-Mfa-Passw0rd!',
    });
    expect(without.code).to.equal(2);
    expect(without.stderr).to.include('MFA code required');

    const result = await run(['tokens', '--username', 'cli-mfa'], {
      ...env,
      SCRIBE_PASSWORD: 'Cli-Mfa-Passw0rd!',
      SCRIBE_MFA_SECRET: secret,
    });
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.have.property('idToken');
  });

  it('credentials prints federated credentials from the identity pool', async function () {
    const emulator = await new IdentityPoolEmulator({
      identityPoolId: 'eu-west-2:cli-pool',
      region: 'eu-west-2',
      userPoolId: pool.userPoolId,
      userPoolEndpoint: cognito.endpoint,
    }).start();
    try {
      const result = await run(['credentials', '--identity-pool-id', 'eu-west-2:cli-pool'], {
        ...env,
        SCRIBE_USERNAME: 'cli-user',
        SCRIBE_PASSWORD: 'Cli-Passw0rd!',
        SCRIBE_IDENTITY_ENDPOINT: emulator.endpoint,
      });
      expect(result.code, result.stderr).to.equal(0);
      const credentials = JSON.parse(result.stdout) as Record<string, string>;
      expect(credentials).to.have.keys(
        'identityId',
        'accessKeyId',
        'secretKey',
        'sessionToken',
        'expiration',
      );
      expect(emulator.lookup(credentials['accessKeyId'] ?? '')).to.not.equal(undefined);
    } finally {
      await emulator.stop();
    }
  });
});
