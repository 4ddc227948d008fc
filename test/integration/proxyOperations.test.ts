import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

const bin = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

describe('the proxy in operation', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });

  describe('with a client token, an admin token and a password', function () {
    const clientToken = 'client-token-0123456789abcdef';
    const adminToken = 'admin-token-0123456789abcdef';

    it('requires the client token: 401 without, 403 wrong, and never forwards it', async function () {
      const { service } = await world.proxy({ PROXY_CLIENT_TOKEN: clientToken });
      world.upstream.arrivals.length = 0;
      const missing = await call(service.proxyUrl, { path: '/x' });
      expect(missing.status).to.equal(401);
      expect(missing.headers['www-authenticate']).to.match(/^Bearer/);
      const wrong = await call(service.proxyUrl, {
        path: '/x',
        headers: { authorization: 'Bearer not-the-token-at-all' },
      });
      expect(wrong.status).to.equal(403);
      expect(world.upstream.arrivals).to.have.length(0);
      const right = await call(service.proxyUrl, {
        path: '/x',
        headers: { authorization: `Bearer ${clientToken}` },
      });
      expect(right.status).to.equal(200);
      const viaProxyAuth = await call(service.proxyUrl, {
        path: '/x',
        headers: { 'proxy-authorization': `Bearer ${clientToken}` },
      });
      expect(viaProxyAuth.status).to.equal(200);
      for (const arrival of world.upstream.arrivals) {
        expect(JSON.stringify(arrival.headers)).to.not.include(clientToken);
      }
      await service.close(1000);
    });

    it('no log line carries a secret', async function () {
      const { service, logs } = await world.proxy({
        PROXY_CLIENT_TOKEN: clientToken,
        ADMIN_TOKEN: adminToken,
        LOG_LEVEL: 'debug',
      });
      world.upstream.arrivals.length = 0;
      await call(service.proxyUrl, {
        method: 'POST',
        path: '/jobs?api_key=query-secret-value',
        headers: { authorization: `Bearer ${clientToken}`, cookie: 'sid=cookie-secret-value' },
        body: '{"a":1}',
      });
      await call(service.proxyUrl, {
        path: '/x',
        headers: { authorization: 'Bearer wrong-token-value' },
      });
      await call(service.adminUrl, { path: '/readyz' });
      await call(service.adminUrl, { path: '/metrics' });
      await service.close(1000);
      const secrets = [
        world.password,
        clientToken,
        adminToken,
        'query-secret-value',
        'cookie-secret-value',
        'wrong-token-value',
        ...world.emulator.allMinted().flatMap((c) => [c.secretAccessKey, c.sessionToken]),
        ...world.upstream.arrivals.map(
          (a) => String(a.headers['authorization']).split('Signature=')[1],
        ),
      ];
      const text = logs.lines.join('\n');
      expect(logs.lines.length).to.be.at.least(4);
      for (const secret of secrets) {
        expect(secret).to.be.a('string').with.length.greaterThan(5);
        expect(text).to.not.include(secret);
      }
      const requests = logs.records().filter((r) => r['msg'] === 'request');
      expect(requests.map((r) => r['path'])).to.include('/jobs');
      expect(requests[0]).to.include.keys(
        'method',
        'path',
        'status',
        'latencyMs',
        'upstreamStatus',
        'requestId',
      );
    });
  });

  describe('the admin listener', function () {
    it('serves /healthz, /readyz (no secrets; the state only without the admin token) and /metrics', async function () {
      const { service, logs } = await world.proxy();
      await call(service.proxyUrl, { path: '/count-me' });
      const health = await call(service.adminUrl, { path: '/healthz' });
      expect(health.status).to.equal(200);
      const ready = await call(service.adminUrl, { path: '/readyz' });
      expect(ready.status).to.equal(200);
      expect(ready.json()).to.deep.equal({ state: 'ready' });
      const text = ready.body.toString();
      for (const minted of world.emulator.allMinted()) {
        expect(text).to.not.include(minted.accessKeyId);
        expect(text).to.not.include(minted.sessionToken);
      }
      const metrics = (await call(service.adminUrl, { path: '/metrics' })).body.toString();
      expect(metrics).to.match(/scribe_proxy_requests_total\{method="GET",code="200"\} [1-9]/);
      expect(metrics).to.match(
        /scribe_proxy_request_duration_seconds_count\{method="GET",code="200"\} [1-9]/,
      );
      expect(metrics).to.match(
        /scribe_proxy_build_info\{version="[^"]+",mode="sigv4",sessions="shared",node_version="[^"]+"\} 1/,
      );
      // Per-client series only in per-client mode.
      expect(metrics).to.not.include('scribe_proxy_session_logins_total');
      expect(metrics).to.not.match(/^scribe_proxy_sessions /m);
      expect(metrics).to.match(
        /scribe_proxy_refreshes_total\{kind="credentials",outcome="success"\} 1/,
      );
      expect(metrics).to.match(/scribe_proxy_credentials_expiry_seconds \d+/);
      expect(metrics).to.include('scribe_proxy_upstream_latency_seconds_bucket');
      expect(metrics).to.include('scribe_proxy_session_state{state="ready"} 1');
      expect(metrics).to.include('scribe_proxy_session_state{state="needs-login"} 0');
      // Without ADMIN_TOKEN every admin route is 404, and the start log says why.
      const admin = await call(service.adminUrl, { path: '/admin/session' });
      expect(admin.status).to.equal(404);
      const login = await call(service.adminUrl, {
        method: 'POST',
        path: '/admin/login',
        headers: { 'content-type': 'application/json', authorization: 'Bearer anything-at-all' },
        body: Buffer.from('{}'),
      });
      expect(login.status).to.equal(404);
      const disabled = logs.records().find((r) => r['event'] === 'admin-disabled');
      expect(String(disabled?.['msg'])).to.include('ADMIN_TOKEN');
      await service.close(1000);
    });

    it('/readyz with the admin token shows the username, identity id and expiry times, never a secret', async function () {
      const token = 'readyz-admin-token-0123456789';
      const { service } = await world.proxy({ ADMIN_TOKEN: token });
      const ready = await call(service.adminUrl, {
        path: '/readyz',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ready.status).to.equal(200);
      const status = ready.json();
      expect(status).to.include({ state: 'ready', mode: 'sigv4', username: world.username });
      expect(Date.parse(String(status['credentialsExpireAt']))).to.be.greaterThan(Date.now());
      const text = ready.body.toString();
      for (const minted of world.emulator.allMinted()) {
        expect(text).to.not.include(minted.sessionToken);
      }
      await service.close(1000);
    });

    it('the proxy port forwards /healthz like any other path', async function () {
      const { service } = await world.proxy();
      world.upstream.arrivals.length = 0;
      await call(service.proxyUrl, { path: '/healthz' });
      expect(world.upstream.arrivals.map((a) => a.url)).to.deep.equal(['/v1/healthz']);
      await service.close(1000);
    });

    it('warns at start when binding beyond loopback without a client token', async function () {
      const open = await world.proxy({ PROXY_HOST: '0.0.0.0' });
      expect(open.logs.records().some((r) => r['event'] === 'open-bind')).to.equal(true);
      await open.service.close(1000);
      const closed = await world.proxy({ PROXY_HOST: '127.0.0.1' });
      expect(closed.logs.records().some((r) => r['event'] === 'open-bind')).to.equal(false);
      await closed.service.close(1000);
    });
  });

  describe('scribe-proxy serve', function () {
    function serve(env: Record<string, string | undefined>) {
      const child = spawn(process.execPath, [bin, 'serve'], {
        env: { PATH: process.env['PATH'] ?? '', ...env } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      return { child, output: () => out, exited };
    }

    it('exits 2 listing every configuration problem at once', async function () {
      const run = serve({ SCRIBE_AUTH_MODE: 'magic', PROXY_PORT: '99999' });
      expect(await run.exited).to.equal(2);
      const lines = run.output().trim().split('\n');
      // A heading, then one problem per line (test/cli/configErrors.test.ts has their wording).
      expect(lines[0]).to.include('invalid configuration (5 problems)');
      const problems = lines.slice(1).map((l) => l.trim());
      for (const expected of [
        'SCRIBE_CLIENT_ID',
        'SCRIBE_USER_POOL_ID',
        'SCRIBE_AUTH_MODE',
        'PROXY_PORT',
        'no login source',
      ]) {
        expect(problems.filter((p) => p.startsWith(expected))).to.have.length(1);
      }
    });

    it('on SIGTERM finishes in-flight requests, then exits 0', async function () {
      const run = serve(world.env({ PROXY_PORT: '0', ADMIN_PORT: '0' }));
      const proxyUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(run.output())), 15_000);
        const check = setInterval(() => {
          const match = /"proxy":"(http:\/\/[^"]+)"/.exec(run.output());
          if (match?.[1] && run.output().includes('"event":"session"')) {
            clearInterval(check);
            clearTimeout(timer);
            resolve(match[1]);
          }
        }, 50);
      });
      world.upstream.respond = (_arrival, res) => {
        // The signal comes while this request is in flight (not after a guessed delay).
        run.child.kill('SIGTERM');
        setTimeout(() => res.end('finished late'), 700);
        return true;
      };
      const slow = call(proxyUrl, { path: '/slow' });
      const answer = await slow;
      world.upstream.respond = undefined;
      expect(answer.status).to.equal(200);
      expect(answer.body.toString()).to.equal('finished late');
      expect(await run.exited).to.equal(0);
      await call(proxyUrl, { path: '/after' }).then(
        () => expect.fail('the proxy still accepts connections'),
        (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ECONNREFUSED'),
      );
    });
  });
});
