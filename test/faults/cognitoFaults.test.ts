import { expect } from 'chai';
import { request } from 'node:http';
import { jumpClock } from '../support/clockJump.js';
import { eventually } from '../support/eventually.js';
import { call } from '../support/http.js';
import { TcpRelay } from '../support/tcpRelay.js';
import { World } from '../support/world.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults: Cognito down, hanging or refusing (a TCP relay in front of the real peers)', function () {
  this.timeout(60_000);

  describe('bearer mode', function () {
    let world: World;
    let relay: TcpRelay;

    before(async function () {
      world = await World.start({ mode: 'bearer', lifetimes: { accessSeconds: 6, idSeconds: 6 } });
      relay = await new TcpRelay(new URL(world.cognito.endpoint)).start();
    });
    after(async function () {
      await relay?.stop();
      await world?.stop();
    });
    afterEach(function () {
      relay.set('up');
    });

    const bearerProxy = (extra: Record<string, string> = {}) =>
      world.proxy({
        SCRIBE_AUTH_MODE: 'bearer',
        SCRIBE_COGNITO_ENDPOINT: relay.url,
        SCRIBE_IDENTITY_POOL_ID: undefined,
        ...extra,
      });

    it('Cognito hanging while the token is still valid: requests are served at once, not after the refresh', async function () {
      const { service } = await bearerProxy();
      expect((await call(service.proxyUrl, { path: '/warm' })).status).to.equal(200);
      const seen = relay.accepted.blackhole;
      relay.set('blackhole');
      // The token (6 s, to its whole-second exp) is due at half its life: this request finds it
      // due, starts its refresh, which hangs, and is served from what is held. It is sent just
      // after the token falls due, read from the session (a fixed sleep after /warm, on a slow
      // machine, came close to the expiry).
      const status = service.session?.status();
      const issuedAt = Date.parse(status?.lastRefreshAt ?? '');
      const expiresAt = Date.parse(status?.tokensExpireAt ?? '');
      // The background refresh is planned later (the 5 s floor): only this request starts one
      // sooner.
      const plannedAt = Date.parse(status?.nextRefreshAt ?? '');
      await sleep(Math.max(0, (issuedAt + expiresAt) / 2 + 200 - Date.now()));
      const started = Date.now();
      const answer = await call(service.proxyUrl, { path: '/during-partition' });
      const waited = Date.now() - started;
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(waited).to.be.below(1_000);
      // The refresh it started reaches the hanging Cognito: soon (the answer may come first), and
      // before the planned one could.
      const hanging = await eventually(
        () => relay.accepted.blackhole > seen,
        Math.max(0, plannedAt - Date.now() - 100),
      );
      expect(hanging, 'the request started no refresh').to.equal(true);
      await service.close(1000);
    });

    it('Cognito refusing and nothing valid: 503 no_session with Retry-After, at once', async function () {
      relay.set('refuse');
      const { service } = await bearerProxy();
      expect(service.session?.state).to.equal('unavailable');
      const started = Date.now();
      const answer = await call(service.proxyUrl, { path: '/nothing-held' });
      expect(Date.now() - started).to.be.below(1_000);
      expect(answer.status).to.equal(503);
      expect(answer.json<{ error: { code: string } }>().error.code).to.equal('no_session');
      expect(Number(answer.headers['retry-after'])).to.be.greaterThan(0);
      await service.close(1000);
    });

    it('per-client mode, Cognito refusing: a login answers 503 with Retry-After and /readyz says unavailable; both recover with Cognito', async function () {
      const { service } = await world.proxy({
        SCRIBE_AUTH_MODE: 'bearer',
        SCRIBE_COGNITO_ENDPOINT: relay.url,
        SCRIBE_IDENTITY_POOL_ID: undefined,
        SCRIBE_USERNAME: undefined,
        SCRIBE_PASSWORD: undefined,
        PROXY_SESSIONS: 'per-client',
      });
      const login = {
        authorization: `Basic ${Buffer.from(`${world.username}:${world.password}`).toString('base64')}`,
      };
      expect((await call(service.adminUrl, { path: '/readyz' })).status).to.equal(200);
      relay.set('refuse');
      const refused = await call(service.proxyUrl, { path: '/cognito-down', headers: login });
      expect(refused.status).to.equal(503);
      expect(refused.json<{ error: { code: string } }>().error.code).to.equal('no_session');
      expect(Number(refused.headers['retry-after'])).to.be.within(1, 5);
      // Asked again at once: answered from memory, Cognito not tried.
      const refusedConnections = relay.accepted.refuse;
      const again = await call(service.proxyUrl, { path: '/cognito-down', headers: login });
      expect(again.status).to.equal(503);
      expect(again.json<{ error: { message: string } }>().error.message).to.match(
        /Cognito was not asked again/,
      );
      expect(relay.accepted.refuse).to.equal(refusedConnections);
      const down = await call(service.adminUrl, { path: '/readyz' });
      expect(down.status).to.equal(503);
      expect(down.json()).to.deep.equal({ state: 'unavailable' });

      relay.set('up');
      await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
      const served = await call(service.proxyUrl, { path: '/cognito-back', headers: login });
      expect(served.status).to.equal(200);
      expect((await call(service.adminUrl, { path: '/readyz' })).status).to.equal(200);
      await service.close(1000);
    });

    it('a client that leaves while its request waits for the first login: nothing goes upstream, it is logged as 499, shutdown does not wait for it', async function () {
      relay.set('blackhole');
      const startAbort = AbortSignal.abort();
      const { service, logs } = await world.proxy(
        {
          SCRIBE_AUTH_MODE: 'bearer',
          SCRIBE_COGNITO_ENDPOINT: relay.url,
          SCRIBE_IDENTITY_POOL_ID: undefined,
        },
        { startAbort },
      );
      expect(service.session?.state).to.equal('starting');
      world.upstream.arrivals.length = 0;
      const url = new URL(service.proxyUrl);
      const req = request({
        hostname: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/left-early',
        headers: { 'content-type': 'application/json', 'content-length': '2' },
        agent: false,
      });
      req.on('error', () => undefined);
      let sent = false;
      req.on('finish', () => (sent = true));
      req.end('{}');
      // The client leaves once the proxy holds the connection and the request's bytes are sent
      // (not after a guessed delay: a slow connect would leave before anything was sent).
      const held = () =>
        new Promise<number>((resolve, reject) =>
          service.proxy.getConnections((err, n) => (err ? reject(err) : resolve(n))),
        );
      expect(await eventually(async () => sent && (await held()) > 0)).to.equal(true);
      req.destroy();
      const [record] = await logs.requests('/left-early');
      expect(record?.['status']).to.equal(499);
      relay.set('up');
      await sleep(200);
      expect(world.upstream.arrivals.filter((a) => a.url.endsWith('/left-early'))).to.have.length(
        0,
      );
      const closing = Date.now();
      await service.close(10_000);
      expect(Date.now() - closing).to.be.below(2_000);
    });
  });

  describe('sigv4 mode', function () {
    let world: World;
    let idp: TcpRelay;
    let identity: TcpRelay;

    before(async function () {
      world = await World.start();
      idp = await new TcpRelay(new URL(world.cognito.endpoint)).start();
      identity = await new TcpRelay(new URL(world.emulator.endpoint)).start();
    });
    after(async function () {
      await idp?.stop();
      await identity?.stop();
      await world?.stop();
    });

    it('a storm of "security token expired" while Cognito fails costs Cognito one refresh, not one per request', async function () {
      const { service } = await world.proxy({
        SCRIBE_COGNITO_ENDPOINT: idp.url,
        SCRIBE_IDENTITY_ENDPOINT: identity.url,
      });
      expect((await call(service.proxyUrl, { path: '/warm' })).status).to.equal(200);
      const used = world.emulator.lookup(world.upstream.arrivals.at(-1)?.verdict.accessKeyId ?? '');
      if (!used) throw new Error('no credentials seen');
      used.expiration = new Date(Date.now() - 1000); // AWS now refuses them as expired
      idp.set('refuse');
      identity.set('refuse');
      // Credentials only seconds old are never refreshed because of a refusal: these are older.
      const restore = jumpClock(31_000);
      try {
        const storm = await Promise.all(
          Array.from({ length: 20 }, (_, i) => call(service.proxyUrl, { path: `/storm/${i}` })),
        );
        for (const answer of storm) {
          expect(answer.status, answer.body.toString()).to.equal(503);
          expect(answer.json<{ error: { code: string } }>().error.code).to.equal('no_session');
        }
        const attempts = identity.accepted.refuse + idp.accepted.refuse;
        // One refresh: GetCredentialsForIdentity with its own few retries (ScribeAuth's policy).
        expect(attempts).to.be.within(1, 4);
        // Later rejected requests inside the backoff do not reach Cognito at all.
        const again = await call(service.proxyUrl, { path: '/storm/again' });
        expect(again.status).to.equal(503);
        expect(identity.accepted.refuse + idp.accepted.refuse).to.equal(attempts);
      } finally {
        restore();
      }
      idp.set('up');
      identity.set('up');
      await service.close(1000);
    });
  });
});
