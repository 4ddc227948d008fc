import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { eventually } from '../support/eventually.js';
import { packagesLoadedBy } from '../support/loadedPackages.js';
import { ScriptedCognito } from '../support/scriptedCognitoServer.js';

// A sidecar beside every pod and a CLI run on every AWS credential fetch: what a command loads is
// start-up time and memory users pay all day. These pin which packages a command loads, not how
// long it takes (a timing would fail on a busy machine, and docs/performance.md has the numbers).
describe('the CLI loads only what a command and its configuration need', function () {
  this.timeout(40_000);
  let cognito: ScriptedCognito;
  const config = () => ({
    SCRIBE_CLIENT_ID: 'scripted-client',
    SCRIBE_USER_POOL_ID: 'eu-west-2_scripted',
    SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:00000000-0000-0000-0000-000000000000',
    SCRIBE_COGNITO_ENDPOINT: cognito.url,
    SCRIBE_IDENTITY_ENDPOINT: cognito.url,
    SCRIBE_USERNAME: 'probe-user',
    SCRIBE_PASSWORD: 'Probe-Passw0rd!',
    PROXY_PORT: '0',
    ADMIN_PORT: '0',
  });

  before(async function () {
    cognito = await new ScriptedCognito().start();
    cognito.addUser('probe-user', 'Probe-Passw0rd!');
  });

  after(async function () {
    await cognito.stop();
  });

  it('--version and --help load no package at all', async function () {
    for (const flag of ['--version', '--help']) {
      const loaded = await packagesLoadedBy([flag]);
      expect(loaded.urls.some((url) => url.endsWith('/dist/src/cli/main.js'))).to.equal(true);
      expect([...loaded.packages], flag).to.deep.equal([]);
    }
  });

  it('serve --help and an offline check load neither the server nor the Cognito clients', async function () {
    for (const args of [['serve', '--help'], ['check']]) {
      const { packages } = await packagesLoadedBy(args, config());
      for (const heavy of [
        'express',
        'pino',
        'prom-client',
        '@aws-sdk/client-cognito-identity-provider',
        '@aws-sdk/client-cognito-identity',
      ]) {
        expect(packages.has(heavy), `${args.join(' ')} loaded ${heavy}`).to.equal(false);
      }
    }
  });

  it('serve without ADMIN_TOKEN, logging JSON, loads neither express, the console, the admin API nor pino-pretty', async function () {
    const untilReady = async (child: ChildProcess) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const admin = () => /"admin":"(http:[^"]+)"/.exec(output)?.[1];
      const ready = await eventually(async () => {
        const url = admin();
        if (!url) return false;
        return (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
      }, 30_000);
      expect(ready, `serve did not become ready:\n${output}`).to.equal(true);
    };
    const { packages } = await packagesLoadedBy(['serve'], config(), untilReady);
    // What a logged-in proxy needs: the probe sees it (so what it does not see was not loaded).
    expect(packages).to.include.keys('prom-client', '@aws-sdk/client-cognito-identity-provider');
    for (const unneeded of [
      'express',
      'express-rate-limit',
      'preact',
      'preact-render-to-string',
      'uqr',
      'zod',
      'pino-pretty',
      'otplib',
    ]) {
      expect(packages.has(unneeded), `serve loaded ${unneeded}`).to.equal(false);
    }
  });
});
