import { expect } from 'chai';
import { jumpClock } from '../support/clockJump.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('faults: bearer-mode rejections', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start({ mode: 'bearer' });
  });
  after(async function () {
    await world?.stop();
  });
  afterEach(function () {
    world.upstream.respond = undefined;
    world.upstream.arrivals.length = 0;
  });

  const proxy = () =>
    world.proxy({ SCRIBE_AUTH_MODE: 'bearer', SCRIBE_IDENTITY_POOL_ID: undefined });

  it("a backend's own 401 (not the gateway's authorizer) is passed through, never replayed", async function () {
    const { service } = await proxy();
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"this document belongs to another team"}');
      return true;
    };
    const answer = await call(service.proxyUrl, { method: 'POST', path: '/docs', body: 'once' });
    expect(answer.status).to.equal(401);
    expect(answer.body.toString()).to.include('another team');
    expect(world.upstream.arrivals).to.have.length(1);
    await service.close(1000);
  });

  it('a backend 401 saying "Unauthorized" (NestJS\'s default) goes back as it came, never replayed', async function () {
    const { service, logs } = await proxy();
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'x-backend': 'nest' });
      res.end('{"statusCode":401,"message":"Unauthorized"}');
      return true;
    };
    for (let i = 0; i < 3; i++) {
      const answer = await call(service.proxyUrl, { method: 'POST', path: '/nest', body: 'once' });
      expect(answer.status).to.equal(401);
      expect(answer.headers['x-backend']).to.equal('nest');
      expect(answer.json()).to.deep.equal({ statusCode: 401, message: 'Unauthorized' });
    }
    expect(world.upstream.arrivals).to.have.length(3);
    const records = await logs.requests('/nest');
    expect(records.map((r) => r['replayed'])).to.deep.equal([false, false, false]);
    await service.close(1000);
  });

  it("the gateway authorizer's 401 (x-amzn-ErrorType: UnauthorizedException) is replayed once", async function () {
    const { service } = await proxy();
    let first = true;
    world.upstream.respond = (_arrival, res) => {
      if (!first) return false;
      first = false;
      res.writeHead(401, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnauthorizedException',
      });
      res.end('{"message":"The incoming token has expired"}');
      return true;
    };
    // A token only seconds old is never refreshed because of a refusal: this one is older.
    const restore = jumpClock(31_000);
    const answer = await call(service.proxyUrl, {
      method: 'POST',
      path: '/docs',
      body: 'twice',
    }).finally(restore);
    expect(answer.status, answer.body.toString()).to.equal(200);
    expect(world.upstream.arrivals).to.have.length(2);
    await service.close(1000);
  });
});
