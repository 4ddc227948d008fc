import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBin, runCli } from '../support/cli.js';
import { startProcess } from '../support/childProcess.js';
import { cliVariables } from '../../src/cli/misspelledVariables.js';
import { configVariables } from '../../src/config/index.js';

/** A configuration `check` accepts; Cognito is a closed loopback port (nothing is called). */
const valid = {
  SCRIBE_CLIENT_ID: 'abc123clientid',
  SCRIBE_USER_POOL_ID: 'eu-west-2_AbCdEf123',
  SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:11111111-2222-3333-4444-555555555555',
  SCRIBE_USERNAME: 'me@example.com',
  SCRIBE_PASSWORD: 'a-Passw0rd!',
};
const secretValue = 'Wr0ng-Place-S3cret!';

describe('misspelled variables are named, never their values', function () {
  this.timeout(30_000);
  let dir: string;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'scribe-misspelled-'));
  });

  after(async function () {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('check warns about SCRIBE_PASWORD and names SCRIBE_PASSWORD, then runs', async function () {
    const run = await runCli(['check'], { ...valid, SCRIBE_PASWORD: secretValue });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.include(
      'scribe-proxy: warning: SCRIBE_PASWORD (in the environment) is not a variable scribe-proxy reads: did you mean SCRIBE_PASSWORD?',
    );
    expect(run.stdout + run.stderr).not.to.include(secretValue);
  });

  it('check refuses a near miss of a required variable that is set nowhere (exit 2)', async function () {
    const { SCRIBE_CLIENT_ID: clientId, ...rest } = valid;
    const run = await runCli(['check'], { ...rest, SCRIBE_CLIENTID: clientId });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include(
      'scribe-proxy check: SCRIBE_CLIENTID (in the environment) is not a variable scribe-proxy reads: did you mean SCRIBE_CLIENT_ID, which is required and not set?',
    );
    expect(run.stdout + run.stderr).not.to.include(clientId);
  });

  it('reads .env too, names where a variable is set, and leaves others\u2019 ADMIN_ and PROXY_ names alone', async function () {
    const cwd = await mkdtemp(join(dir, 'dotenv-'));
    await writeFile(join(cwd, '.env'), `PROXY_PROT=9000\nADMIN_USER=${secretValue}\n`);
    const run = await runCli(
      ['check'],
      { ...valid, PROXY_URL: secretValue, SCRIBE_API_KEY: secretValue, scribe_region: 'x' },
      cwd,
    );
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stderr.split('\n').filter((line) => line.includes('warning:'));
    expect(lines).to.have.members([
      'scribe-proxy: warning: SCRIBE_API_KEY (in the environment) is not a variable scribe-proxy reads; scribe-proxy serve --help lists them',
      'scribe-proxy: warning: scribe_region (in the environment) is not a variable scribe-proxy reads: did you mean SCRIBE_REGION? (names are case-sensitive)',
      'scribe-proxy: warning: PROXY_PROT (in .env) is not a variable scribe-proxy reads: did you mean PROXY_PORT?',
    ]);
    expect(run.stdout + run.stderr).not.to.include(secretValue);
  });

  it('leaves alone the variables Kubernetes sets for a Service (scribe-gateway, the shipped one)', async function () {
    // Every pod started after the Service gets these (enableServiceLinks is on by default).
    const link = 'tcp://10.96.0.9:8080';
    const serviceLinks = {
      SCRIBE_GATEWAY_SERVICE_HOST: '10.96.0.9',
      SCRIBE_GATEWAY_SERVICE_PORT: '8080',
      SCRIBE_GATEWAY_SERVICE_PORT_HTTP: '8080',
      SCRIBE_GATEWAY_PORT: link,
      SCRIBE_GATEWAY_PORT_8080_TCP: link,
      SCRIBE_GATEWAY_PORT_8080_TCP_PROTO: 'tcp',
      SCRIBE_GATEWAY_PORT_8080_TCP_PORT: '8080',
      SCRIBE_GATEWAY_PORT_8080_TCP_ADDR: '10.96.0.9',
    };
    const run = await runCli(['check'], { ...valid, ...serviceLinks, SCRIBE_GATEWAY_PROT: '1' });
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stderr.split('\n').filter((line) => line.includes('warning:'));
    expect(lines, 'a look-alike with no Service behind it is still named').to.deep.equal([
      'scribe-proxy: warning: SCRIBE_GATEWAY_PROT (in the environment) is not a variable scribe-proxy reads; scribe-proxy serve --help lists them',
    ]);
  });

  it('serve warns and starts; a misspelled required variable stops it before it starts', async function () {
    const env = {
      PATH: process.env['PATH'] ?? '',
      ...valid,
      SCRIBE_COGNITO_ENDPOINT: 'http://127.0.0.1:9',
      PROXY_PORT: '0',
      ADMIN_PORT: '0',
      ADMIN_PROT: '8081',
    };
    const serve = await startProcess(process.execPath, [cliBin, 'serve'], {
      env,
      ready: /"event":"listening".*"proxy":"(http:[^"]+)"/,
      name: 'serve',
    });
    await serve.stop();
    expect(serve.output()).to.include(
      'scribe-proxy: warning: ADMIN_PROT (in the environment) is not a variable scribe-proxy reads: did you mean ADMIN_PORT?',
    );

    const { SCRIBE_USER_POOL_ID: pool, ...rest } = valid;
    const refused = await runCli(['serve'], { ...rest, SCRIBE_USERPOOL_ID: pool });
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include(
      'scribe-proxy serve: SCRIBE_USERPOOL_ID (in the environment) is not a variable scribe-proxy reads: did you mean SCRIBE_USER_POOL_ID, which is required and not set?',
    );
    expect(refused.stdout).not.to.include('listening');
  });

  it('knows every variable a CLI option falls back to', async function () {
    const root = fileURLToPath(new URL('../../../src/cli/', import.meta.url));
    const files = [
      ...(await readdir(root)).filter((f) => f.endsWith('.ts')),
      ...(await readdir(join(root, 'commands'))).map((f) => `commands/${f}`),
    ];
    const known = new Set<string>([...configVariables, ...cliVariables]);
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      for (const [, name] of text.matchAll(/env: '([A-Z_]+)'/g)) {
        expect(known.has(name as string), `${file}: ${name}`).to.equal(true);
      }
    }
  });
});
