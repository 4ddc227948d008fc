import { expect } from 'chai';
import { request } from 'node:http';
import { connect } from 'node:net';
import { ScribeAuth } from '../../src/index.js';
import type { Service } from '../../src/server/index.js';
import { jumpClock } from '../support/clockJump.js';
import { eventually } from '../support/eventually.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Client connections the proxy listener still holds open. */
function openConnections(service: Service): Promise<number> {
  return new Promise((resolve, reject) =>
    service.proxy.getConnections((err, n) => (err ? reject(err) : resolve(n))),
  );
}

describe('the proxy under faults', function () {
  this.timeout(60_000);

  describe('a revoked refresh token', function () {
    let world: World;

    before(async function () {
      world = await World.start({
        mode: 'bearer',
        lifetimes: { accessSeconds: 3, idSeconds: 3 },
      });
    });
    after(async function () {
      await world?.stop();
    });

    async function revoke(refreshToken: string) {
      const auth = new ScribeAuth({
        clientId: world.pool.clientId,
        endpoints: { cognitoIdentityProvider: world.cognito.endpoint },
      });
      await auth.revokeRefreshToken(refreshToken);
      auth.destroy();
    }

    it('with a password configured: logs in again and keeps serving', async function () {
      const { refreshToken } = await world.login();
      const { service, logs } = await world.proxy({
        SCRIBE_AUTH_MODE: 'bearer',
        SCRIBE_REFRESH_TOKEN: refreshToken,
        REFRESH_MARGIN_S: '1',
      });
      expect((await call(service.proxyUrl, { path: '/a' })).status).to.equal(200);
      await revoke(refreshToken);
      await sleep(3_200);
      const answer = await call(service.proxyUrl, { path: '/b' });
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(service.session?.state).to.equal('ready');
      expect(logs.records().some((r) => r['event'] === 'refresh-token-rejected')).to.equal(true);
      await service.close(1000);
    });

    it('without a password: 503 with Retry-After, and /readyz says needs-login', async function () {
      const { refreshToken } = await world.login();
      const { service } = await world.proxy({
        SCRIBE_AUTH_MODE: 'bearer',
        SCRIBE_REFRESH_TOKEN: refreshToken,
        SCRIBE_PASSWORD: undefined,
        SCRIBE_USERNAME: undefined,
        REFRESH_MARGIN_S: '1',
      });
      expect((await call(service.proxyUrl, { path: '/a' })).status).to.equal(200);
      await revoke(refreshToken);
      await sleep(3_200);
      const answer = await call(service.proxyUrl, { path: '/b' });
      expect(answer.status).to.equal(503);
      expect(Number(answer.headers['retry-after'])).to.be.greaterThan(0);
      expect(answer.json<{ error: { code: string; message: string } }>().error).to.deep.include({
        code: 'no_session',
      });
      expect(answer.body.toString()).to.include('POST /admin/login');
      const ready = await call(service.adminUrl, { path: '/readyz' });
      expect(ready.status).to.equal(503);
      expect(ready.json()).to.include({ state: 'needs-login' });
      await service.close(1000);
    });
  });

  describe('bearer mode (Scribe API v2)', function () {
    let world: World;

    before(async function () {
      world = await World.start({ mode: 'bearer' });
    });
    after(async function () {
      await world?.stop();
    });

    it('sends the raw access token in Authorization', async function () {
      const { service } = await world.proxy({
        SCRIBE_AUTH_MODE: 'bearer',
        SCRIBE_API_URL: `${world.upstream.url}/v2`,
        SCRIBE_IDENTITY_POOL_ID: undefined,
      });
      const answer = await call(service.proxyUrl, {
        path: '/tasks',
        headers: { authorization: 'Bearer from-the-client' },
      });
      expect(answer.status, answer.body.toString()).to.equal(200);
      const arrival = world.upstream.arrivals.at(-1);
      expect(arrival?.url).to.equal('/v2/tasks');
      expect(arrival?.headers['authorization']).to.not.match(/^Bearer /);
      expect(await world.isAccessToken(String(arrival?.headers['authorization']))).to.equal(true);
      await service.close(1000);
    });

    it("the gateway authorizer's 401 refreshes once and replays once", async function () {
      const { service } = await world.proxy({ SCRIBE_AUTH_MODE: 'bearer' });
      world.upstream.arrivals.length = 0;
      let first = true;
      world.upstream.respond = (_arrival, res) => {
        if (!first) return false;
        first = false;
        res.writeHead(401, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'UnauthorizedException',
        });
        res.end('{"message":"Unauthorized"}');
        return true;
      };
      const before = (await service.metrics.refreshes.get()).values.reduce(
        (n, v) => n + v.value,
        0,
      );
      // A token only seconds old is never refreshed because of a refusal: this one is older.
      const restore = jumpClock(31_000);
      const answer = await call(service.proxyUrl, {
        method: 'POST',
        path: '/x',
        body: 'again',
      }).finally(restore);
      world.upstream.respond = undefined;
      expect(answer.status).to.equal(200);
      expect(world.upstream.arrivals).to.have.length(2);
      expect(world.upstream.arrivals[1]?.body.toString()).to.equal('again');
      const after = (await service.metrics.refreshes.get()).values.reduce((n, v) => n + v.value, 0);
      expect(after - before).to.equal(1);
      await service.close(1000);
    });
  });

  describe('Cognito and the upstream failing', function () {
    let world: World;

    before(async function () {
      world = await World.start({
        lifetimes: { accessSeconds: 2, idSeconds: 2 },
        credentialSeconds: 120,
      });
    });
    after(async function () {
      await world?.stop();
    });

    it('upstream down: 502', async function () {
      const { service } = await world.proxy({ SCRIBE_API_URL: 'http://127.0.0.1:9/v1' });
      const answer = await call(service.proxyUrl, { path: '/x' });
      expect(answer.status).to.equal(502);
      expect(answer.json<{ error: { code: string; message: string } }>().error.code).to.equal(
        'upstream_unreachable',
      );
      expect(answer.body.toString()).to.not.include('127.0.0.1');
      await service.close(1000);
    });

    it('upstream slower than UPSTREAM_TIMEOUT_MS: 504, and the upstream request is cancelled', async function () {
      const { service } = await world.proxy({ UPSTREAM_TIMEOUT_MS: '300' });
      let upstreamSawClose = false;
      world.upstream.respond = (_arrival, res) => {
        // Closed before it answered: the proxy cancelled it (its own late answer does not count).
        res.on('close', () => {
          upstreamSawClose = !res.writableEnded;
        });
        setTimeout(() => {
          if (!res.destroyed) res.end('late');
        }, 2000);
        return true;
      };
      const answer = await call(service.proxyUrl, { path: '/slow' });
      world.upstream.respond = undefined;
      expect(answer.status).to.equal(504);
      expect(await eventually(() => upstreamSawClose)).to.equal(true);
      await service.close(1000);
    });

    it('a client abort mid-upload: no crash, nothing upstream, no leaked socket', async function () {
      const { service } = await world.proxy();
      world.upstream.arrivals.length = 0;
      const url = new URL(service.proxyUrl);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(
            'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n',
          );
          socket.write(Buffer.alloc(5000));
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
      });
      expect(await eventually(async () => (await openConnections(service)) === 0)).to.equal(true);
      expect(world.upstream.arrivals).to.have.length(0);
      expect((await call(service.proxyUrl, { path: '/still-alive' })).status).to.equal(200);
      await service.close(1000);
    });

    it('a client abort while waiting on the upstream cancels the upstream request', async function () {
      const { service } = await world.proxy();
      let upstreamSawClose = false;
      let arrived: () => void = () => {};
      const upstreamHasIt = new Promise<void>((resolve) => (arrived = resolve));
      world.upstream.respond = (_arrival, res) => {
        res.on('close', () => {
          upstreamSawClose = true;
        });
        arrived();
        return true; // never answers
      };
      const url = new URL(service.proxyUrl);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write('GET /hang HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
      // The client leaves once the request waits on the upstream (not after a guessed delay).
      await upstreamHasIt;
      socket.destroy();
      const cancelled = await eventually(() => upstreamSawClose);
      world.upstream.respond = undefined;
      expect(cancelled).to.equal(true);
      await service.close(1000);
    });

    it('an upstream that breaks off mid-body: the client sees the break, not a short answer', async function () {
      const { service } = await world.proxy();
      world.upstream.respond = (_arrival, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        res.write('the first 20 bytes..');
        setTimeout(() => res.socket?.destroy(), 100);
        return true;
      };
      const outcome = await new Promise<string>((resolve) => {
        const url = new URL(service.proxyUrl);
        request(
          { hostname: url.hostname, port: url.port, path: '/partial', agent: false },
          (res) => {
            let bytes = 0;
            res.on('data', (c: Buffer) => (bytes += c.length));
            res.on('end', () => resolve(`ended cleanly after ${bytes} bytes`));
            res.on('error', () => resolve(`broken after ${bytes} bytes`));
          },
        )
          .on('error', () => resolve('broken before the answer'))
          .end();
      });
      world.upstream.respond = undefined;
      expect(outcome).to.equal('broken after 20 bytes');
      expect((await call(service.proxyUrl, { path: '/still-alive' })).status).to.equal(200);
      await service.close(1000);
    });

    it('a client that leaves mid-stream: the upstream response is dropped too', async function () {
      const { service } = await world.proxy();
      let upstreamSawClose = false;
      world.upstream.respond = (_arrival, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('chunk 1\n');
        res.on('close', () => (upstreamSawClose = true));
        const timer = setInterval(() => res.write('more\n'), 50);
        res.on('close', () => clearInterval(timer));
        return true;
      };
      await new Promise<void>((resolve) => {
        const url = new URL(service.proxyUrl);
        const req = request(
          { hostname: url.hostname, port: url.port, path: '/stream', agent: false },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', () => {});
        req.end();
      });
      const dropped = await eventually(() => upstreamSawClose);
      world.upstream.respond = undefined;
      expect(dropped).to.equal(true);
      expect(await eventually(async () => (await openConnections(service)) === 0)).to.equal(true);
      await service.close(1000);
    });

    it('a pooled upstream connection closed under a request: retried on a fresh one when idempotent', async function () {
      // The keep-alive race: the upstream closes an idle connection just as the proxy reuses it.
      // Here it closes every connection on its second request, before answering.
      const { service } = await world.proxy();
      const served = new WeakSet<object>();
      world.upstream.respond = (_arrival, res) => {
        const socket = res.socket;
        if (socket && served.has(socket)) {
          socket.destroy();
          return true;
        }
        if (socket) served.add(socket);
        return false;
      };
      world.upstream.arrivals.length = 0;
      // Each step: [method, path, extra headers], and what the client gets.
      const steps: Array<[string, string, Record<string, string>]> = [
        ['GET', '/a', {}], // a new connection: answered
        ['GET', '/b', {}], // the same connection, closed: sent again on a fresh one
        ['POST', '/c', {}], // a new connection: answered
        ['POST', '/d', {}], // the same connection, closed: a POST is never sent twice
        ['GET', '/warm', {}],
        ['PUT', '/e', {}], // closed, and PUT is idempotent: sent again
        ['GET', '/warm', {}],
        ['POST', '/f', { 'idempotency-key': 'k-1' }], // closed, but keyed: sent again
      ];
      const statuses: number[] = [];
      for (const [method, path, headers] of steps) {
        const body = method === 'GET' ? undefined : `body of ${path}`;
        statuses.push((await call(service.proxyUrl, { method, path, headers, body })).status);
      }
      world.upstream.respond = undefined;
      expect(statuses).to.deep.equal([200, 200, 200, 502, 200, 200, 200, 200]);
      expect(world.upstream.arrivals.map((a) => `${a.method} ${a.url}`)).to.deep.equal([
        'GET /v1/a',
        'GET /v1/b',
        'GET /v1/b',
        'POST /v1/c',
        'POST /v1/d',
        'GET /v1/warm',
        'PUT /v1/e',
        'PUT /v1/e',
        'GET /v1/warm',
        'POST /v1/f',
        'POST /v1/f',
      ]);
      const again = world.upstream.arrivals.filter((a) => a.url === '/v1/e');
      expect(again.map((a) => a.body.toString())).to.deep.equal(['body of /e', 'body of /e']);
      await service.close(1000);
    });

    it('Cognito unreachable while the credentials are valid: keeps serving, degraded', async function () {
      const { service } = await world.proxy({ REFRESH_MARGIN_S: '1' });
      expect((await call(service.proxyUrl, { path: '/before' })).status).to.equal(200);
      await world.cognito.stop();
      await sleep(2_500); // the tokens expire; the next request starts their refresh, which fails
      const answer = await call(service.proxyUrl, { path: '/during' });
      expect(answer.status, answer.body.toString()).to.equal(200);
      // ScribeAuth retries a refresh a few times (backoff up to ~1.5 s) before the session hears.
      await eventually(() => service.session?.state === 'degraded', 15_000);
      expect(service.session?.state).to.equal('degraded');
      const ready = await call(service.adminUrl, { path: '/readyz' });
      expect(ready.status).to.equal(200);
      expect(ready.json()).to.include({ state: 'degraded' });
      await service.close(1000);
    });
  });
});
