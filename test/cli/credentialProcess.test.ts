import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { credentialCachePath } from '../../src/cli/credentialCachePath.js';
import { runCli, shippedBin, type CliRun } from '../support/cli.js';
import { CountingRelay } from '../support/countingRelay.js';
import { identityPoolId, World } from '../support/world.js';

const run = promisify(execFile);

/** botocore, with only the profile for credentials, signs a GET and sends it; prints the answer. */
const signedCall = `
import json, sys, urllib.request
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
session = botocore.session.Session(profile='scribe')
credentials = session.get_credentials()
url = sys.argv[1]
request = AWSRequest(method='GET', url=url)
SigV4Auth(credentials, 'execute-api', 'eu-west-2').add_auth(request)
try:
    with urllib.request.urlopen(urllib.request.Request(url, headers=dict(request.headers))) as r:
        print(json.dumps({'status': r.status, 'body': r.read().decode()}))
except urllib.error.HTTPError as e:
    print(json.dumps({'status': e.code, 'body': e.read().decode()}))
`;

/** The credential_process answer. */
interface ProcessAnswer {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

describe('scribe-proxy credentials --format process (AWS credential_process)', function () {
  this.timeout(90_000);
  let world: World;
  let relay: CountingRelay;
  let dir: string;
  let env: Record<string, string>;
  let n = 0;

  /** A fresh empty directory to run in, and a home whose cache directory the CLI may use. */
  async function emptyPlace(): Promise<{ cwd: string; home: Record<string, string> }> {
    const place = await mkdtemp(join(dir, `place-${++n}-`));
    const cwd = join(place, 'cwd');
    await (await import('node:fs/promises')).mkdir(cwd);
    return { cwd, home: { HOME: place } };
  }

  /** `scribe-proxy login` of `username` into `file`, with the pool settings in the environment. */
  async function login(file: string, username = world.username, password = world.password) {
    const result = await runCli(['login', '--session-file', file], {
      ...env,
      SCRIBE_USERNAME: username,
      SCRIBE_PASSWORD: password,
    });
    expect(result.code, result.stderr).to.equal(0);
  }

  /** What reached Cognito so far: user pool calls through the relay, identity pool calls. */
  function cognitoCalls(): number {
    const pool = Object.values(relay.calls).reduce((sum, count) => sum + count, 0);
    return pool + world.emulator.calls.GetId + world.emulator.calls.GetCredentialsForIdentity;
  }

  /** credentials --format process from `cwd` with nothing but the session file and a home. */
  function credentials(file: string, cwd: string, home: Record<string, string>): Promise<CliRun> {
    return runCli(['credentials', '--format', 'process', '--session-file', file], home, cwd);
  }

  function parsed(result: CliRun): ProcessAnswer {
    expect(result.code, result.stderr).to.equal(0);
    return JSON.parse(result.stdout) as ProcessAnswer;
  }

  before(async function () {
    try {
      await run('python3', ['-c', 'import botocore']);
    } catch {
      throw new Error('botocore is needed: pip install botocore (moto[server] brings it)');
    }
    world = await World.start();
    relay = await new CountingRelay(new URL(world.cognito.endpoint)).start();
    dir = await mkdtemp(join(tmpdir(), 'scribe-credential-process-'));
    env = {
      SCRIBE_CLIENT_ID: world.pool.clientId,
      SCRIBE_USER_POOL_ID: world.pool.userPoolId,
      SCRIBE_IDENTITY_POOL_ID: identityPoolId,
      SCRIBE_COGNITO_ENDPOINT: relay.url,
      SCRIBE_IDENTITY_ENDPOINT: world.emulator.endpoint,
    };
  });

  after(async function () {
    await relay?.stop();
    await world?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints Version 1, the keys, the session token and the expiry', async function () {
    const result = await runCli(['credentials', '--format', 'process'], {
      ...env,
      SCRIBE_USERNAME: world.username,
      SCRIBE_PASSWORD: world.password,
    });
    const answer = parsed(result);
    expect(answer).to.have.keys(
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    );
    expect(answer.Version).to.equal(1);
    expect(new Date(answer.Expiration).getTime()).to.be.greaterThan(Date.now());
  });

  it('refuses an unknown format (exit 2)', async function () {
    const result = await runCli(['credentials', '--format', 'yaml'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--format must be json or process');
  });

  it('from an empty directory the session file is enough, and the second call is answered from the cache without a Cognito call', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);

    const before = cognitoCalls();
    const first = await credentials(file, cwd, home);
    const answer = parsed(first);
    // The sandbox's endpoints came from the session file, and are named as in force.
    expect(first.stderr).to.include(`SCRIBE_COGNITO_ENDPOINT=${relay.url}`);
    // login kept the identity id: no GetId, one refresh, one GetCredentialsForIdentity.
    expect(world.emulator.lookup(answer.AccessKeyId)).to.not.equal(undefined);
    expect(cognitoCalls() - before).to.equal(2);

    const started = Date.now();
    const second = await credentials(file, cwd, home);
    const elapsed = Date.now() - started;
    expect(parsed(second)).to.deep.equal(answer);
    expect(cognitoCalls() - before, 'Cognito calls after the second call').to.equal(2);
    console.log(`      (second call answered from the cache in ${elapsed} ms)`);

    const cache = credentialCachePath(file, { HOME: home['HOME'] });
    expect((await stat(cache)).mode & 0o777).to.equal(0o600);
    const text = await readFile(cache, 'utf8');
    const { refreshToken } = JSON.parse(await readFile(file, 'utf8')) as { refreshToken: string };
    expect(text).to.not.include(world.password).and.not.include(refreshToken);
  });

  it('a cache from another account (a new login into the same file) is not served', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const first = parsed(await credentials(file, cwd, home));

    await world.cognito.createUser(world.pool, 'second-user', 'Second-Passw0rd!');
    await login(file, 'second-user', 'Second-Passw0rd!');
    const before = cognitoCalls();
    const second = parsed(await credentials(file, cwd, home));
    expect(cognitoCalls()).to.be.greaterThan(before);
    expect(second.AccessKeyId).to.not.equal(first.AccessKeyId);
    const identities = [first, second].map((a) => world.emulator.lookup(a.AccessKeyId)?.identityId);
    expect(identities[0]).to.not.equal(identities[1]);
  });

  it('an identity id the identity pool no longer gives this login is asked for again (GetId)', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(saved['identityId']).to.be.a('string');
    const stale = 'eu-west-2:00000000-0000-4000-8000-000000000000';
    await writeFile(file, JSON.stringify({ ...saved, identityId: stale }));
    const getIds = world.emulator.calls.GetId;
    const answer = parsed(await credentials(file, cwd, home));
    expect(world.emulator.calls.GetId).to.equal(getIds + 1);
    expect(world.emulator.lookup(answer.AccessKeyId)?.identityId).to.equal(saved['identityId']);
  });

  it('credentials that expire within 15 minutes are not served from the cache', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const first = parsed(await credentials(file, cwd, home));
    const cache = credentialCachePath(file, { HOME: home['HOME'] });
    const cached = JSON.parse(await readFile(cache, 'utf8')) as {
      credentials: { expiration: string };
    };
    cached.credentials.expiration = new Date(Date.now() + 14 * 60_000).toISOString();
    await writeFile(cache, JSON.stringify(cached));

    const before = cognitoCalls();
    const second = parsed(await credentials(file, cwd, home));
    expect(cognitoCalls() - before).to.equal(2); // a refresh and GetCredentialsForIdentity
    expect(second.AccessKeyId).to.not.equal(first.AccessKeyId);
  });

  it('refuses a cache file that others can read, naming it and the fix', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    parsed(await credentials(file, cwd, home));
    const cache = credentialCachePath(file, { HOME: home['HOME'] });
    await chmod(cache, 0o644);
    const refused = await credentials(file, cwd, home);
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.equal('');
    expect(refused.stderr).to.include(cache).and.include('chmod 600');
  });

  it('calls at once on an empty cache all answer, and leave one whole cache file', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => credentials(file, cwd, home).then(parsed)),
    );
    const cache = credentialCachePath(file, { HOME: home['HOME'] });
    const cached = JSON.parse(await readFile(cache, 'utf8')) as {
      credentials: { accessKeyId: string };
    };
    expect(answers.map((a) => a.AccessKeyId)).to.include(cached.credentials.accessKeyId);
    expect(await readdir(join(cache, '..'))).to.deep.equal([cache.split('/').at(-1)]);
    const before = cognitoCalls();
    parsed(await credentials(file, cwd, home));
    expect(cognitoCalls()).to.equal(before);
  });

  it('an older session file (only the token) works with the pool settings from the environment', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const { refreshToken, username } = JSON.parse(await readFile(file, 'utf8')) as {
      refreshToken: string;
      username: string;
    };
    await writeFile(file, JSON.stringify({ refreshToken, username }), { mode: 0o600 });
    const bare = await credentials(file, cwd, home);
    expect(bare.code).to.equal(2);
    expect(bare.stderr).to.include('missing --client-id');
    parsed(await runCli(['credentials', '--session-file', file], { ...home, ...env }, cwd));
  });

  it('refuses settings that name other pools, endpoints or account than the session file keeps', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const before = cognitoCalls();
    for (const [name, value] of [
      ['SCRIBE_CLIENT_ID', 'another-client'],
      ['SCRIBE_COGNITO_ENDPOINT', 'https://cognito.elsewhere.example'],
    ] as const) {
      // From a .env in the working directory, as a cloned project could carry.
      await writeFile(join(cwd, '.env'), `${name}=${value}\n`);
      const refused = await credentials(file, cwd, home);
      expect(refused.code, name).to.equal(2);
      expect(refused.stderr, name).to.include(file).and.include(`${name}=${value}`);
    }
    // Another account than the file's, as the proxy refuses it at start.
    await writeFile(join(cwd, '.env'), 'SCRIBE_USERNAME=someone-else\n');
    const otherAccount = await credentials(file, cwd, home);
    expect(otherAccount.code).to.equal(1);
    expect(otherAccount.stderr).to.include(file).and.include('SCRIBE_USERNAME is someone-else');
    expect(cognitoCalls(), 'Cognito calls of the refused runs').to.equal(before);
  });

  it('revoke --session-file alone, from an empty directory, revokes and deletes the file and its cache', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    parsed(await credentials(file, cwd, home));
    const cache = credentialCachePath(file, { HOME: home['HOME'] });
    const revoked = await runCli(['revoke', '--session-file', file], home, cwd);
    expect(revoked.code, revoked.stderr).to.equal(0);
    for (const gone of [file, cache]) {
      await stat(gone).then(
        () => expect.fail(`${gone} is still there`),
        (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
      );
    }
  });

  it('the profile line docs/cli.md shows signs a call the upstream verifies, run from any directory', async function () {
    const { cwd, home } = await emptyPlace();
    const file = join(dir, `session-${n}.json`);
    await login(file);
    const docs = await readFile(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
    const profile = /```ini\n(\[profile scribe\]\n[^`]*)```/.exec(docs)?.[1];
    expect(profile, 'the [profile scribe] block of docs/cli.md').to.be.a('string');
    const config = join(dir, `aws-config-${n}`);
    await writeFile(
      config,
      (profile as string)
        .replace('node /path/to/scribe-proxy/dist/cli/main.js', `${process.execPath} ${shippedBin}`)
        .replace('/path/to/session.json', file),
    );
    expect(await readFile(config, 'utf8'))
      .to.include(file)
      .and.include(shippedBin);

    // No password and no pool settings anywhere: only the profile and the session file.
    const { stdout } = await run('python3', ['-c', signedCall, `${world.upstream.url}/v1/tasks`], {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...home,
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      },
      timeout: 60_000,
    });
    const answer = JSON.parse(stdout) as { status: number; body: string };
    expect(answer.status, answer.body).to.equal(200);
    expect(JSON.parse(answer.body)).to.include({ verified: true, url: '/v1/tasks' });
    const arrival = world.upstream.arrivals.at(-1);
    expect(arrival?.verdict.ok).to.equal(true);
    expect(world.emulator.lookup(arrival?.verdict.accessKeyId ?? '')).to.not.equal(undefined);
  });
});
