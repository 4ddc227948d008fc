import { expect } from 'chai';
import { Session } from '../../src/session/index.js';
import { apiGatewayMessages } from '../support/verifySigV4.js';
import { jumpClock } from '../support/clockJump.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the proxy keeps one session alive (sigv4)', function () {
  this.timeout(60_000);

  describe('with credentials that live 3 seconds', function () {
    let world: World;

    before(async function () {
      world = await World.start({ credentialSeconds: 3 });
    });
    after(async function () {
      await world?.stop();
    });

    it('serves requests across several expiries with one refresh per expiry', async function () {
      const { service } = await world.proxy({ REFRESH_MARGIN_S: '1' });
      const before = world.emulator.calls.GetCredentialsForIdentity;
      const statuses: number[] = [];
      const started = Date.now();
      while (Date.now() - started < 7_500) {
        const answer = await call(service.proxyUrl, { path: '/tick' });
        statuses.push(answer.status);
        await sleep(100);
      }
      expect(
        statuses.every((s) => s === 200),
        JSON.stringify(statuses),
      ).to.equal(true);
      const refreshes = world.emulator.calls.GetCredentialsForIdentity - before;
      const keys = new Set(world.upstream.arrivals.map((a) => a.verdict.accessKeyId));
      // Due 1 s before each 3 s expiry: a refresh every ~2 s, so 3 or 4 in 7.5 s, never per request.
      expect(refreshes).to.be.within(3, 5);
      expect(keys.size).to.equal(refreshes + 1); // the credentials from start, then one per refresh
      expect(statuses.length).to.be.greaterThan(30);
      expect(world.emulator.calls.GetId).to.equal(1);
      await service.close(1000);
    });

    it('200 concurrent requests at the moment of expiry cause exactly one refresh', async function () {
      const auth = world.auth();
      // On-demand only, so the burst (not a timer) meets the expiry.
      const session = new Session({
        auth,
        mode: 'sigv4',
        username: world.username,
        password: world.password,
        refreshMarginS: 0,
        proactive: false,
      });
      await session.start();
      const first = await session.credentials();
      await sleep(3_100);
      const before = world.emulator.calls.GetCredentialsForIdentity;
      const all = await Promise.all(Array.from({ length: 200 }, () => session.credentials()));
      expect(world.emulator.calls.GetCredentialsForIdentity - before).to.equal(1);
      expect(new Set(all).size).to.equal(1);
      expect(all[0]).to.not.equal(first);
      session.stop();
      auth.destroy();
    });

    it('a cold start under 200 concurrent requests logs in once', async function () {
      const { service } = await world.proxy({ REFRESH_MARGIN_S: '1' });
      await service.close(1000);
      const before = { ...world.emulator.calls };
      const auth = world.auth();
      const session = new Session({
        auth,
        mode: 'sigv4',
        username: world.username,
        password: world.password,
        refreshMarginS: 1,
        proactive: false,
      });
      await Promise.all(Array.from({ length: 200 }, () => session.credentials()));
      expect(world.emulator.calls.GetId - before.GetId).to.equal(1);
      expect(
        world.emulator.calls.GetCredentialsForIdentity - before.GetCredentialsForIdentity,
      ).to.equal(1);
      auth.destroy();
    });
  });

  describe('upstream rejections', function () {
    let world: World;

    before(async function () {
      world = await World.start();
    });
    after(async function () {
      await world?.stop();
    });
    beforeEach(function () {
      world.upstream.arrivals.length = 0;
    });

    it('"security token ... expired": refreshes once and replays once', async function () {
      const { service } = await world.proxy();
      const warm = await call(service.proxyUrl, { path: '/warm' });
      expect(warm.status).to.equal(200);
      const used = world.emulator.lookup(world.upstream.arrivals[0]?.verdict.accessKeyId ?? '');
      if (!used) throw new Error('no credentials seen');
      used.expiration = new Date(Date.now() - 1000); // AWS now considers them expired
      const before = world.emulator.calls.GetCredentialsForIdentity;
      const body = Buffer.from('{"replay":"me"}');
      // Credentials only seconds old are never refreshed because of a refusal: these are older.
      const restore = jumpClock(31_000);
      const answer = await call(service.proxyUrl, { method: 'POST', path: '/jobs', body }).finally(
        restore,
      );
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(world.emulator.calls.GetCredentialsForIdentity - before).to.equal(1);
      const jobs = world.upstream.arrivals.filter((a) => a.url === '/v1/jobs');
      expect(jobs).to.have.length(2);
      expect(jobs[0]?.verdict.message).to.equal(apiGatewayMessages.expiredToken);
      expect(jobs[1]?.verdict.ok).to.equal(true);
      expect(jobs[1]?.body.toString()).to.equal('{"replay":"me"}');
      await service.close(1000);
    });

    it('never replays a signature mismatch or an IAM denial', async function () {
      const { service } = await world.proxy();
      for (const message of [
        apiGatewayMessages.mismatch,
        'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: execute-api:Invoke',
        apiGatewayMessages.missing,
      ]) {
        world.upstream.arrivals.length = 0;
        world.upstream.respond = (_arrival, res) => {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message }));
          return true;
        };
        const before = world.emulator.calls.GetCredentialsForIdentity;
        const answer = await call(service.proxyUrl, { path: '/denied' });
        expect(answer.status).to.equal(403);
        expect(answer.json()).to.deep.equal({ message });
        expect(world.upstream.arrivals).to.have.length(1);
        expect(world.emulator.calls.GetCredentialsForIdentity).to.equal(before);
      }
      world.upstream.respond = undefined;
      await service.close(1000);
    });

    it('replays at most once, then passes the second rejection through', async function () {
      const { service } = await world.proxy();
      world.upstream.respond = (_arrival, res) => {
        // As API Gateway refuses: its own refusals carry x-amzn-ErrorType.
        res.writeHead(403, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ForbiddenException',
        });
        res.end(JSON.stringify({ message: apiGatewayMessages.expiredToken }));
        return true;
      };
      const restore = jumpClock(31_000);
      const answer = await call(service.proxyUrl, { path: '/always-expired' }).finally(restore);
      expect(answer.status).to.equal(403);
      expect(world.upstream.arrivals.filter((a) => a.url === '/v1/always-expired')).to.have.length(
        2,
      );
      world.upstream.respond = undefined;
      await service.close(1000);
    });
  });
});
