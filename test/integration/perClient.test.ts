import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa } from '../support/certificates.js';
import { call, type Answer } from '../support/http.js';
import { CountingRelay } from '../support/countingRelay.js';
import { registerSecret } from '../support/secretScan.js';
import { World, type LogCapture } from '../support/world.js';
import type { Service } from '../../src/server/index.js';

const adminToken = 'per-client-admin-token-0123456789';
const accounts = Array.from({ length: 20 }, (_, i) => ({
  username: `acct-${String(i).padStart(2, '0')}`,
  password: `Acct-Passw0rd-${i}!`,
}));
const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** A gateway in per-client mode in front of `world`, Cognito behind a counting relay. */
async function gateway(
  world: World,
  relay: CountingRelay,
  overrides: Record<string, string> = {},
): Promise<{ service: Service; logs: LogCapture }> {
  return world.proxy({
    PROXY_SESSIONS: 'per-client',
    SCRIBE_USERNAME: undefined,
    SCRIBE_PASSWORD: undefined,
    SCRIBE_COGNITO_ENDPOINT: relay.url,
    ADMIN_TOKEN: adminToken,
    ...overrides,
  });
}

function as(
  service: Service,
  username: string,
  password: string,
  path = `/who/${username}`,
): Promise<Answer> {
  return call(service.proxyUrl, { path, headers: { authorization: basic(username, password) } });
}

const admin = (service: Service, method: string, path: string) =>
  call(service.adminUrl, { method, path, headers: { authorization: `Bearer ${adminToken}` } });

describe('per-client mode: one session per client login (sigv4)', function () {
  this.timeout(120_000);
  let world: World;
  let relay: CountingRelay;

  before(async function () {
    world = await World.start();
    for (const { username, password } of accounts) {
      registerSecret(password);
      await world.cognito.createUser(world.pool, username, password);
    }
    await world.cognito.createUser(world.pool, 'temp-user', 'Temp-Passw0rd!', { temporary: true });
    registerSecret('Temp-Passw0rd!');
    relay = await new CountingRelay(new URL(world.cognito.endpoint)).start();
  });
  after(async function () {
    await world?.stop();
    await relay?.stop();
  });

  it('20 accounts, 1,000 interleaved concurrent requests: each reaches the upstream as its own account, one login each', async function () {
    const { service } = await gateway(world, relay);
    const loginsBefore = relay.count('InitiateAuth');
    const getIdBefore = world.emulator.calls.GetId;
    const arrivalsBefore = world.upstream.arrivals.length;
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const { username, password } = accounts[i % accounts.length]!;
        return as(service, username, password, `/who/${username}/${i}`);
      }),
    );
    expect(answers.filter((a) => a.status !== 200).map((a) => a.status)).to.deep.equal([]);
    const arrivals = world.upstream.arrivals.slice(arrivalsBefore);
    expect(arrivals).to.have.length(1000);
    // Whose credentials signed each request, by the identity the emulator minted them for.
    const identitiesOf = new Map<string, Set<string>>();
    for (const arrival of arrivals) {
      expect(arrival.verdict.ok, arrival.verdict.message).to.equal(true);
      const username = arrival.url.split('/')[3] ?? '';
      const minted = world.emulator.lookup(arrival.verdict.accessKeyId ?? '');
      const seen = identitiesOf.get(username) ?? new Set<string>();
      seen.add(minted?.identityId ?? 'unknown');
      identitiesOf.set(username, seen);
    }
    expect(identitiesOf.size).to.equal(20);
    const identities = [...identitiesOf.values()].map((s) => [...s]);
    expect(identities.every((ids) => ids.length === 1)).to.equal(true);
    expect(new Set(identities.flat()).size).to.equal(20); // zero mix-ups: twenty different ones
    expect(relay.count('InitiateAuth') - loginsBefore).to.equal(20);
    expect(world.emulator.calls.GetId - getIdBefore).to.equal(20);
    expect(service.sessions?.size).to.equal(20);

    const metrics = (await call(service.adminUrl, { path: '/metrics' })).body.toString();
    expect(metrics).to.match(/^scribe_proxy_sessions 20$/m);
    expect(metrics).to.match(/^scribe_proxy_session_logins_total\{outcome="ok"\} 20$/m);
    await service.close(1000);
  });

  it('asks for a login with a Basic challenge when the request has none (or a malformed one)', async function () {
    const { service } = await gateway(world, relay);
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Basic !!!' },
      { authorization: basic('', 'x') },
    ];
    for (const headers of attempts) {
      const answer = await call(service.proxyUrl, { path: '/who/nobody', headers });
      expect(answer.status).to.equal(401);
      expect(answer.headers['www-authenticate']).to.equal(
        'Basic realm="scribe-proxy", charset="UTF-8"',
      );
      expect(answer.json<{ error: { code: string } }>().error.code).to.equal('login_required');
    }
    await service.close(1000);
  });

  it('Basic credentials that are not UTF-8 are refused with 400 before Cognito is asked', async function () {
    const { service } = await gateway(world, relay);
    const loginsBefore = relay.count('InitiateAuth');
    const latin1 = Buffer.concat([
      Buffer.from('acct-00:p'),
      Buffer.from([0xe4]),
      Buffer.from('ss'),
    ]);
    const answer = await call(service.proxyUrl, {
      path: '/who/latin1',
      headers: { authorization: `Basic ${latin1.toString('base64')}` },
    });
    expect(answer.status).to.equal(400);
    expect(answer.json<{ error: { code: string } }>().error.code).to.equal('bad_credentials');
    expect(relay.count('InitiateAuth')).to.equal(loginsBefore);
    await service.close(1000);
  });

  it('a wrong password never reaches a cached session, and repeated failures do not reach Cognito', async function () {
    const { service, logs } = await gateway(world, relay);
    const { username, password } = accounts[3]!;
    expect((await as(service, username, password)).status).to.equal(200);
    const arrivalsBefore = world.upstream.arrivals.length;
    const loginsBefore = relay.count('InitiateAuth');

    const wrong = await as(service, username, 'Wrong-Passw0rd!');
    expect(wrong.status).to.equal(401);
    expect(wrong.json<{ error: { code: string } }>().error.code).to.equal('login_failed');
    expect(wrong.headers['www-authenticate']).to.match(/^Basic /);
    expect(relay.count('InitiateAuth') - loginsBefore).to.equal(1);
    // The same wrong password again: answered from memory.
    const again = await as(service, username, 'Wrong-Passw0rd!');
    expect(again.status).to.equal(401);
    expect(again.json<{ error: { message: string } }>().error.message).to.match(
      /without asking Cognito/,
    );
    expect(Number(again.headers['retry-after'])).to.be.greaterThan(0);
    expect(relay.count('InitiateAuth') - loginsBefore).to.equal(1);
    // Two more different wrong passwords: then the username is not tried at all for a while,
    expect((await as(service, username, 'Wrong-2')).status).to.equal(401);
    expect((await as(service, username, 'Wrong-3')).status).to.equal(401);
    expect(relay.count('InitiateAuth') - loginsBefore).to.equal(3);
    expect((await as(service, username, 'Wrong-4')).status).to.equal(401);
    expect(relay.count('InitiateAuth') - loginsBefore).to.equal(3);
    // but the session already held for the right password serves on, untouched.
    expect((await as(service, username, password)).status).to.equal(200);
    expect(world.upstream.arrivals.length - arrivalsBefore).to.equal(1);
    expect(relay.count('InitiateAuth') - loginsBefore).to.equal(3);

    const metrics = (await call(service.adminUrl, { path: '/metrics' })).body.toString();
    expect(metrics).to.match(/^scribe_proxy_session_logins_total\{outcome="rejected"\} 3$/m);
    expect(metrics).to.match(/^scribe_proxy_session_logins_total\{outcome="remembered"\} 2$/m);
    const requestLines = await logs.requests(`/who/${username}`);
    expect(requestLines.every((r) => r['user'] === username)).to.equal(true);
    await service.close(1000);
  });

  it('an account with a temporary password is answered 403 with what to do', async function () {
    const { service } = await gateway(world, relay);
    const answer = await as(service, 'temp-user', 'Temp-Passw0rd!');
    expect(answer.status).to.equal(403);
    const { error } = answer.json<{ error: { code: string; message: string } }>();
    expect(error.code).to.equal('new_password_required');
    expect(error.message).to.match(/scribe-proxy change-password/);
    expect(service.sessions?.size).to.equal(0);
    await service.close(1000);
  });

  it('the admin API lists the sessions (never a secret) and evicts one, revoking on request', async function () {
    const { service } = await gateway(world, relay);
    const [a, b] = [accounts[5]!, accounts[6]!];
    expect((await as(service, a.username, a.password)).status).to.equal(200);
    expect((await as(service, b.username, b.password)).status).to.equal(200);

    const listed = await admin(service, 'GET', '/admin/sessions');
    expect(listed.status).to.equal(200);
    const { sessions } = listed.json<{ sessions: Array<Record<string, string>> }>();
    expect(sessions.map((s) => s['username']).sort()).to.deep.equal([a.username, b.username]);
    for (const s of sessions) {
      expect(s['state']).to.equal('ready');
      expect(Date.parse(s['credentialsExpireAt'] ?? '')).to.be.greaterThan(Date.now());
      expect(Date.parse(s['lastUsedAt'] ?? '')).to.be.at.most(Date.now());
    }
    const text = listed.body.toString();
    expect(text).not.to.include(a.password);
    expect(text).not.to.match(/eyJ[\w-]+\.[\w-]+/); // no JWT
    expect(text).not.to.match(/ASIA[A-Z0-9]+/); // no access key

    const unauthenticated = await call(service.adminUrl, { path: '/admin/sessions' });
    expect(unauthenticated.status).to.equal(401);

    const evicted = await admin(service, 'DELETE', `/admin/sessions/${a.username}?revoke=true`);
    expect(evicted.status).to.equal(200);
    expect(evicted.json()).to.deep.equal({ username: a.username, evicted: 1, revoked: 1 });
    expect(service.sessions?.list().map((s) => s.username)).to.deep.equal([b.username]);
    expect((await admin(service, 'DELETE', `/admin/sessions/${a.username}`)).status).to.equal(404);
    expect((await admin(service, 'POST', '/admin/login')).status).to.equal(409);

    // The next request of the evicted account logs in again.
    const logins = relay.count('InitiateAuth');
    expect((await as(service, a.username, a.password)).status).to.equal(200);
    expect(relay.count('InitiateAuth') - logins).to.equal(1);
    const metrics = (await call(service.adminUrl, { path: '/metrics' })).body.toString();
    expect(metrics).to.match(/^scribe_proxy_session_evictions_total\{reason="admin"\} 1$/m);
    await service.close(1000);
  });

  it('warns at start that passwords travel in clear when it binds beyond loopback without TLS', async function () {
    const events = (logs: LogCapture) => logs.records().map((r) => r['event']);
    const open = await gateway(world, relay, { PROXY_HOST: '0.0.0.0' });
    expect(events(open.logs)).to.include('cleartext-logins');
    const warning = open.logs.records().find((r) => r['event'] === 'cleartext-logins');
    expect(warning?.['msg']).to.include('PROXY_TLS_CERT_FILE');
    // The client-token warning of shared mode does not apply: every request needs a login.
    expect(events(open.logs)).not.to.include('open-bind');
    await open.service.close(1000);
    const loopback = await gateway(world, relay);
    expect(events(loopback.logs)).not.to.include('cleartext-logins');
    await loopback.service.close(1000);

    // With TLS on the proxy listener the passwords are not in clear: no warning.
    const dir = await mkdtemp(join(tmpdir(), 'scribe-gateway-tls-'));
    try {
      const pair = await (await createTestCa()).server();
      await writeFile(join(dir, 'tls.crt'), pair.cert);
      await writeFile(join(dir, 'tls.key'), pair.key);
      const secured = await gateway(world, relay, {
        PROXY_HOST: '0.0.0.0',
        PROXY_TLS_CERT_FILE: join(dir, 'tls.crt'),
        PROXY_TLS_KEY_FILE: join(dir, 'tls.key'),
      });
      expect(secured.service.proxyUrl).to.match(/^https:/);
      expect(events(secured.logs)).not.to.include('cleartext-logins');
      await secured.service.close(1000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is ready when it can serve, not for an account; with a client token, it travels in Proxy-Authorization', async function () {
    const clientToken = 'gateway-client-token-0123456789';
    registerSecret(clientToken);
    const { service } = await gateway(world, relay, { PROXY_CLIENT_TOKEN: clientToken });
    const ready = await call(service.adminUrl, { path: '/readyz' });
    expect(ready.status).to.equal(200);
    expect(ready.json()).to.deep.equal({ state: 'ready' });

    const { username, password } = accounts[9]!;
    const without = await as(service, username, password);
    expect(without.status).to.equal(401);
    expect(without.json<{ error: { code: string } }>().error.code).to.equal(
      'client_token_required',
    );
    const withToken = await call(service.proxyUrl, {
      path: `/who/${username}`,
      headers: {
        authorization: basic(username, password),
        'proxy-authorization': `Bearer ${clientToken}`,
      },
    });
    expect(withToken.status).to.equal(200);
    await service.close(1000);
  });
});

describe('per-client mode: one session per client login (bearer)', function () {
  this.timeout(120_000);
  let world: World;
  let relay: CountingRelay;

  before(async function () {
    world = await World.start({ mode: 'bearer' });
    for (const { username, password } of accounts.slice(0, 5)) {
      registerSecret(password);
      await world.cognito.createUser(world.pool, username, password);
    }
    relay = await new CountingRelay(new URL(world.cognito.endpoint)).start();
  });
  after(async function () {
    await world?.stop();
    await relay?.stop();
  });

  it('5 accounts, 500 interleaved concurrent requests: each carries its own account access token', async function () {
    const { service } = await gateway(world, relay, {
      SCRIBE_AUTH_MODE: 'bearer',
      SCRIBE_API_URL: `${world.upstream.url}/v2`,
    });
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        const { username, password } = accounts[i % 5]!;
        return as(service, username, password, `/who/${username}/${i}`);
      }),
    );
    expect(answers.filter((a) => a.status !== 200).map((a) => a.status)).to.deep.equal([]);
    const arrivals = world.upstream.arrivals.filter((a) => a.url.startsWith('/v2/who/'));
    expect(arrivals).to.have.length(500);
    for (const arrival of arrivals) {
      expect(arrival.verdict.ok).to.equal(true);
      const token = String(arrival.headers['authorization']);
      const claims = JSON.parse(
        Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as { username?: string };
      expect(claims.username, arrival.url).to.equal(arrival.url.split('/')[3]);
    }
    expect(relay.count('InitiateAuth')).to.equal(5);
    await service.close(1000);
  });
});
