import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliBin, runCli } from '../support/cli.js';
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

describe('scribe-proxy credentials --format process (AWS credential_process)', function () {
  this.timeout(90_000);
  let world: World;
  let dir: string;
  let env: Record<string, string>;

  before(async function () {
    try {
      await run('python3', ['-c', 'import botocore']);
    } catch {
      throw new Error('botocore is needed: pip install botocore (moto[server] brings it)');
    }
    world = await World.start();
    dir = await mkdtemp(join(tmpdir(), 'scribe-credential-process-'));
    env = {
      SCRIBE_CLIENT_ID: world.pool.clientId,
      SCRIBE_USER_POOL_ID: world.pool.userPoolId,
      SCRIBE_IDENTITY_POOL_ID: identityPoolId,
      SCRIBE_COGNITO_ENDPOINT: world.cognito.endpoint,
      SCRIBE_IDENTITY_ENDPOINT: world.emulator.endpoint,
    };
  });

  after(async function () {
    await world?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints Version 1, the keys, the session token and the expiry', async function () {
    const result = await runCli(['credentials', '--format', 'process'], {
      ...env,
      SCRIBE_USERNAME: world.username,
      SCRIBE_PASSWORD: world.password,
    });
    expect(result.code, result.stderr).to.equal(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(answer).to.have.keys(
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    );
    expect(answer['Version']).to.equal(1);
    expect(new Date(answer['Expiration'] as string).getTime()).to.be.greaterThan(Date.now());
  });

  it('refuses an unknown format (exit 2)', async function () {
    const result = await runCli(['credentials', '--format', 'yaml'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--format must be json or process');
  });

  it('a botocore profile with credential_process (from a session file) signs a call the upstream verifies', async function () {
    const sessionFile = join(dir, 'session.json');
    const login = await runCli(['login', '--session-file', sessionFile], {
      ...env,
      SCRIBE_USERNAME: world.username,
      SCRIBE_PASSWORD: world.password,
    });
    expect(login.code, login.stderr).to.equal(0);

    const config = join(dir, 'aws-config');
    await writeFile(
      config,
      `[profile scribe]\ncredential_process = ${process.execPath} ${cliBin} credentials --format process --session-file ${sessionFile}\nregion = eu-west-2\n`,
    );
    // No password anywhere: only the profile, the pool settings and the session file.
    const { stdout } = await run('python3', ['-c', signedCall, `${world.upstream.url}/v1/tasks`], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: dir,
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        ...env,
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
