import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { isChallenge, ScribeAuth } from '../../src/index.js';
import { loadConfig } from '../../src/config/index.js';
import { startService, type Service } from '../../src/server/index.js';
import { readSessionFile } from '../../src/session/index.js';
import { sandboxBanner } from '../../src/cli/commands/sandboxBanner.js';
import { runCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { call } from '../support/http.js';
import { startSandbox, type Sandbox } from '../support/sandbox.js';
import { runOnTerminal } from '../support/terminal.js';

/** A POST to the sandbox's admin API with its token; the JSON answer. */
async function admin(sandbox: Sandbox, path: string, body: unknown) {
  const answer = await call(sandbox.service.adminUrl, {
    method: 'POST',
    path,
    headers: {
      authorization: `Bearer ${sandbox.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(answer.status, `${path}: ${answer.body.toString()}`).to.equal(200);
  return answer.json();
}

/** The settings the sandbox's banner tells a person to export, as variables. */
function printedSettings(sandbox: Sandbox): Record<string, string> {
  const banner = sandboxBanner(sandbox, { seconds: 1, mode: 'sigv4', firstLogin: false });
  const line = banner.split('\n').find((l) => l.trim().startsWith('export ')) ?? '';
  return Object.fromEntries(
    line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

describe("the sandbox's MFA story: MFA turned on, then login, credentials, getTokens and a proxy from the session file", function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let dir: string;
  let secret: string;
  let sessionFile: string;
  let served: Service | undefined;
  let settings: Record<string, string>;

  before(async function () {
    sandbox = await startSandbox({
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      mode: 'sigv4',
      sessions: 'shared',
      temporaryPassword: false,
      logLevel: 'silent',
      progress: () => undefined,
    });
    dir = await mkdtemp(join(tmpdir(), 'scribe-sandbox-mfa-'));
    sessionFile = join(dir, 'session.json');
    settings = printedSettings(sandbox);
    expect(await eventually(() => sandbox.service.session?.state === 'ready')).to.equal(true);
    // What the console's MFA set-up does: a secret for the authenticator app, then a code from it.
    const setup = await admin(sandbox, '/admin/mfa/setup', {});
    secret = setup['secret'] as string;
    await admin(sandbox, '/admin/mfa/verify', { code: generateSync({ secret }) });
  });

  after(async function () {
    await served?.close(1000);
    await sandbox?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('login --session-file asks for the MFA code and writes the session file', async function () {
    const run = await runOnTerminal(
      ['login', '--session-file', sessionFile],
      { ...settings, SCRIBE_USERNAME: sandbox.username, SCRIBE_PASSWORD: sandbox.password },
      [['MFA code', `${generateSync({ secret })}\r`]],
    );
    expect(run.code, run.screen).to.equal(0);
    expect(run.screen).to.include('"loggedIn": true');
  });

  it('credentials --session-file prints federated credentials from that session file', async function () {
    const run = await runCli(['credentials', '--session-file', sessionFile], settings);
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout) as Record<string, string>;
    expect(printed['accessKeyId']).to.be.a('string').and.not.equal('');
    expect(printed['identityId']).to.match(/^eu-west-2:/);
  });

  it("the library's getTokens({ refreshToken }) refreshes with the session file's token", async function () {
    const saved = await readSessionFile(sessionFile);
    const auth = new ScribeAuth({
      clientId: settings['SCRIBE_CLIENT_ID'] as string,
      userPoolId: settings['SCRIBE_USER_POOL_ID'],
      identityPoolId: settings['SCRIBE_IDENTITY_POOL_ID'],
      endpoints: {
        cognitoIdentityProvider: settings['SCRIBE_COGNITO_ENDPOINT'],
        cognitoIdentity: settings['SCRIBE_IDENTITY_ENDPOINT'],
      },
    });
    try {
      const tokens = await auth.getTokens({ refreshToken: saved?.refreshToken as string });
      expect(isChallenge(tokens)).to.equal(false);
      if (isChallenge(tokens)) return;
      expect(tokens.idToken.split('.')).to.have.length(3);
    } finally {
      auth.destroy();
    }
  });

  it('a proxy started from the session file alone refreshes with its token, as its hourly refresh does, and signs requests', async function () {
    served = await startService(
      loadConfig({
        ...settings,
        SCRIBE_SESSION_FILE: sessionFile,
        PROXY_PORT: '0',
        ADMIN_PORT: '0',
        LOG_LEVEL: 'silent',
      }),
    );
    const session = served.session;
    // No password to fall back to: only a refresh with the session file's token makes it ready.
    const ready = () => session?.state === 'ready';
    expect(await eventually(ready, 10_000), JSON.stringify(session?.status())).to.equal(true);
    expect(session?.status().lastRefreshAt).to.be.a('string');
    const got = await call(served.proxyUrl, { path: '/tasks' });
    expect(got.status).to.equal(200);
    expect(got.json()).to.include({ verified: true, url: '/v1/tasks' });
  });
});
