import { expect } from 'chai';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/index.js';
import { startService, type Service } from '../../src/server/index.js';
import { call, type Answer } from '../support/http.js';
import { ScriptedPoolServer, type PoolAnswer } from '../support/scriptedPoolServer.js';
import { registerSecret } from '../support/secretScan.js';
import { VerifyingUpstream } from '../support/verifyingUpstream.js';
import { LogCapture } from '../support/world.js';

const adminToken = 'per-client-accounts-admin-0123456789';
const password = 'Ann-Passw0rd!';
const basic = (username: string, pw: string) =>
  `Basic ${Buffer.from(`${username}:${pw}`).toString('base64')}`;

const cognitoError = (type: string, message = 'nope'): PoolAnswer => [
  400,
  { __type: type, message },
];

/**
 * A pool as Scribe's is: user names compare case-insensitively. `ann` logs in with `password`;
 * `sms` is asked for an SMS code, `email` for an e-mailed one, `choose` to pick between SMS and
 * e-mail MFA; `odd` gets a 4xx the proxy does not know; `down` gets a 5xx.
 */
function accountPool(operation: string, body: Record<string, unknown>): PoolAnswer {
  if (operation === 'RevokeToken') return [200, {}];
  if (operation !== 'InitiateAuth') return cognitoError('InvalidParameterException');
  const params = body['AuthParameters'] as Record<string, string>;
  const user = (params['USERNAME'] ?? '').toLowerCase();
  const challenge = (name: string, parameters: Record<string, string> = {}): PoolAnswer => [
    200,
    { ChallengeName: name, Session: 'challenge-session', ChallengeParameters: parameters },
  ];
  switch (user) {
    case 'sms':
      return challenge('SMS_MFA');
    case 'email':
      return challenge('EMAIL_OTP');
    case 'choose':
      return challenge('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["SMS_MFA","EMAIL_OTP"]' });
    case 'odd':
      return cognitoError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled');
    case 'down':
      return [500, { __type: 'InternalErrorException', message: 'boom' }];
  }
  if (user !== 'ann' || params['PASSWORD'] !== password) {
    return cognitoError('NotAuthorizedException', 'Incorrect username or password.');
  }
  return [
    200,
    {
      AuthenticationResult: {
        AccessToken: 'access-ann',
        IdToken: 'id-ann',
        RefreshToken: 'refresh-ann',
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    },
  ];
}

describe('per-client mode: accounts as the pool sees them (scripted pool over HTTP, bearer)', function () {
  this.timeout(60_000);
  let pool: ScriptedPoolServer;
  let upstream: VerifyingUpstream;
  let service: Service;

  before(async function () {
    registerSecret(password);
    registerSecret(adminToken);
    pool = await new ScriptedPoolServer(accountPool).start();
    upstream = await new VerifyingUpstream({
      mode: 'bearer',
      checkBearer: (token) => token === 'access-ann',
    }).start();
  });
  after(async function () {
    await pool?.stop();
    await upstream?.stop();
  });
  beforeEach(async function () {
    for (const key of Object.keys(pool.calls)) delete pool.calls[key];
    pool.script = accountPool;
    const config = loadConfig({
      SCRIBE_API_URL: `${upstream.url}/v2`,
      SCRIBE_AUTH_MODE: 'bearer',
      SCRIBE_CLIENT_ID: 'scripted-client',
      SCRIBE_USER_POOL_ID: 'eu-west-2_Scripted1',
      SCRIBE_COGNITO_ENDPOINT: pool.url,
      PROXY_SESSIONS: 'per-client',
      ADMIN_TOKEN: adminToken,
      PROXY_PORT: '0',
      ADMIN_PORT: '0',
    });
    service = await startService(config, {
      logger: createLogger('debug', new LogCapture().stream),
    });
  });
  let closed: Promise<void> | undefined;
  afterEach(async function () {
    await (closed ?? service?.close(1000));
    closed = undefined;
  });

  const as = (username: string, pw: string): Promise<Answer> =>
    call(service.proxyUrl, { path: '/v', headers: { authorization: basic(username, pw) } });
  const admin = (method: string, path: string) =>
    call(service.adminUrl, { method, path, headers: { authorization: `Bearer ${adminToken}` } });
  const codeOf = (answer: Answer) => answer.json<{ error: { code: string } }>().error.code;

  it('one session per account whatever the spelling of its user name; `ann` evicts (and revokes) the session opened as `Ann`', async function () {
    expect((await as('Ann', password)).status).to.equal(200);
    expect((await as('ann', password)).status).to.equal(200);
    expect(pool.count('InitiateAuth')).to.equal(1);
    const listed = (await admin('GET', '/admin/sessions')).json<{
      sessions: Array<{ username: string }>;
    }>();
    expect(listed.sessions.map((s) => s.username)).to.deep.equal(['Ann']);

    const evicted = await admin('DELETE', '/admin/sessions/ann?revoke=true');
    expect(evicted.status).to.equal(200);
    expect(evicted.json()).to.include({ evicted: 1, revoked: 1 });
    expect(pool.count('RevokeToken')).to.equal(1);
    expect((await admin('GET', '/admin/sessions')).json()).to.deep.equal({ sessions: [] });
  });

  it('30 different wrong passwords sent together for one user: at most three reach Cognito', async function () {
    // Cognito's answers wait until all 30 logins arrived, or a second passed: a guard that counts
    // only finished logins lets all of them through.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 1000);
    });
    pool.script = async (operation, body) => {
      if (pool.count('InitiateAuth') >= 30) release();
      await gate;
      return accountPool(operation, body);
    };
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => as(i % 2 ? 'ann' : 'ANN', `wrong-${i}`)),
    );
    expect(pool.count('InitiateAuth')).to.be.at.most(3);
    expect(answers.map(codeOf)).to.deep.equal(Array.from({ length: 30 }, () => 'login_failed'));
    // The right password waits too, as after three refusals in a row.
    expect(codeOf(await as('ann', password))).to.equal('login_failed');
    expect(pool.count('InitiateAuth')).to.be.at.most(3);
  });

  it('after three refused passwords, the right one is told its user name is locked for repeated failures, and for how long', async function () {
    for (const wrong of ['wrong-1', 'wrong-2', 'wrong-3']) {
      expect(codeOf(await as('ann', wrong))).to.equal('login_failed');
    }
    const right = await as('ann', password);
    expect(right.status).to.equal(401);
    expect(codeOf(right)).to.equal('login_failed');
    const message = right.json<{ error: { message: string } }>().error.message;
    expect(message).not.to.include('refused this username and password');
    expect(message).to.match(
      /^this user name is locked at this gateway for repeated failed logins/,
    );
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).to.be.within(290, 300);
    expect(message).to.include(`retry in ${retryAfter} s`);
    expect(pool.count('InitiateAuth')).to.equal(3);
  });

  it('an account Cognito asks for SMS or e-mail MFA: a remembered 403 mfa_unsupported; the gateway stays ready', async function () {
    for (const user of ['sms', 'email', 'choose']) {
      const first = await as(user, 'Any-Passw0rd!');
      expect(first.status, user).to.equal(403);
      expect(codeOf(first)).to.equal('mfa_unsupported');
      const again = await as(user, 'Any-Passw0rd!');
      expect(again.status).to.equal(403);
      expect(codeOf(again)).to.equal('mfa_unsupported');
    }
    // Not tried again: each try may send the user a code.
    expect(pool.count('InitiateAuth')).to.equal(3);
    const ready = await call(service.adminUrl, { path: '/readyz' });
    expect(ready.status).to.equal(200);
  });

  it('a 4xx the proxy does not know is a remembered 403 login_refused; only a 5xx makes the gateway not ready', async function () {
    const odd = await as('odd', 'Any-Passw0rd!');
    expect(odd.status).to.equal(403);
    expect(codeOf(odd)).to.equal('login_refused');
    expect(codeOf(await as('odd', 'Any-Passw0rd!'))).to.equal('login_refused');
    expect(pool.count('InitiateAuth')).to.equal(1);
    expect((await call(service.adminUrl, { path: '/readyz' })).status).to.equal(200);

    const down = await as('down', 'Any-Passw0rd!');
    expect(down.status).to.equal(503);
    expect(codeOf(down)).to.equal('no_session');
    expect((await call(service.adminUrl, { path: '/readyz' })).status).to.equal(503);
  });

  it('a login Cognito answers after the gateway began to close is discarded: no refresh follows', async function () {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    pool.script = async (operation, body) => {
      await gate;
      const [status, answer] = accountPool(operation, body);
      // Tokens living 2 s: a session kept alive would refresh them after 1 s.
      const result = (answer as { AuthenticationResult?: { ExpiresIn: number } })
        .AuthenticationResult;
      if (result) result.ExpiresIn = 2;
      return [status, answer];
    };
    const request = as('ann', password);
    while (pool.count('InitiateAuth') < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    closed = service.close(5000);
    release();
    expect((await request).status).to.equal(503);
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pool.count('InitiateAuth')).to.equal(1);
  });

  it('a refused login is remembered under every spelling of the user name', async function () {
    expect((await as('Ann', 'wrong')).status).to.equal(401);
    const again = await as('ANN', 'wrong');
    expect(again.status).to.equal(401);
    expect(again.json<{ error: { message: string } }>().error.message).to.include(
      'without asking Cognito',
    );
    expect(pool.count('InitiateAuth')).to.equal(1);
  });
});

describe('shared mode: an account Cognito will not let the proxy log in (scripted pool over HTTP)', function () {
  this.timeout(60_000);

  it('stops in a named state that /readyz and the admin status report, and is not tried again', async function () {
    const pool = await new ScriptedPoolServer(accountPool).start();
    const config = loadConfig({
      SCRIBE_API_URL: 'http://127.0.0.1:9/v2',
      SCRIBE_AUTH_MODE: 'bearer',
      SCRIBE_CLIENT_ID: 'scripted-client',
      SCRIBE_USER_POOL_ID: 'eu-west-2_Scripted1',
      SCRIBE_COGNITO_ENDPOINT: pool.url,
      SCRIBE_USERNAME: 'sms',
      SCRIBE_PASSWORD: 'Any-Passw0rd!',
      ADMIN_TOKEN: adminToken,
      PROXY_PORT: '0',
      ADMIN_PORT: '0',
    });
    const service = await startService(config, {
      logger: createLogger('debug', new LogCapture().stream),
    });
    try {
      const ready = await call(service.adminUrl, { path: '/readyz' });
      expect(ready.status).to.equal(503);
      expect(ready.json()).to.deep.equal({ state: 'mfa-unsupported' });
      const status = await call(service.adminUrl, {
        path: '/admin/session',
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(status.json()).to.include({ state: 'mfa-unsupported' });
      const proxied = await call(service.proxyUrl, { path: '/v' });
      expect(proxied.status).to.equal(503);
      expect(pool.count('InitiateAuth')).to.equal(1);
    } finally {
      await service.close(1000);
      await pool.stop();
    }
  });
});
