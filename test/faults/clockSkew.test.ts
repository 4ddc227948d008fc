import { expect } from 'chai';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe("faults: the gateway's clock differs from this machine's (sigv4)", function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });
  afterEach(function () {
    world.upstream.clockOffsetMs = 0;
    world.upstream.arrivals.length = 0;
  });

  for (const [name, offsetS] of [
    ['ahead ("Signature expired")', 600],
    ['behind ("Signature not yet current")', -600],
  ] as const) {
    it(`gateway ${name}: the offset is taken from its Date header, the request re-signed and sent once more, later ones signed on its clock`, async function () {
      const { service, logs } = await world.proxy();
      world.upstream.clockOffsetMs = offsetS * 1000;
      const first = await call(service.proxyUrl, { method: 'POST', path: '/skewed', body: 'x' });
      expect(first.status, first.body.toString()).to.equal(200);
      expect(first.json()).to.include({ verified: true, bodyBytes: 1 });
      expect(world.upstream.arrivals.map((a) => a.verdict.ok)).to.deep.equal([false, true]);
      expect(world.upstream.arrivals[0]?.verdict.message).to.match(/^Signature (expired|not yet)/);

      const [record] = await logs.requests('/skewed');
      expect(record?.['replayed']).to.equal(true);
      const warning = logs.records().find((r) => r['event'] === 'clock-skew');
      expect(warning?.['level']).to.equal('warn');
      expect(Math.abs(Number(warning?.['skewS']) - offsetS)).to.be.at.most(2);

      world.upstream.arrivals.length = 0;
      const later = await call(service.proxyUrl, { path: '/later' });
      expect(later.status).to.equal(200);
      expect(world.upstream.arrivals).to.have.length(1);
      await service.close(1000);
    });
  }

  it('a request is sent at most twice: a gateway that refuses the corrected signature too is answered as it said', async function () {
    const { service } = await world.proxy();
    world.upstream.clockOffsetMs = 600_000;
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(403, {
        'content-type': 'application/json',
        date: 'Thu, 01 Jan 1970 00:00:00 GMT',
      });
      res.end(
        '{"message":"Signature expired: 19700101T000000Z is now earlier than 19700101T000000Z (19700101T000500Z - 5 min.)"}',
      );
      return true;
    };
    try {
      const answer = await call(service.proxyUrl, { method: 'POST', path: '/twice', body: 'x' });
      expect(answer.status).to.equal(403);
      expect(world.upstream.arrivals).to.have.length(2);
    } finally {
      world.upstream.respond = undefined;
      await service.close(1000);
    }
  });
  for (const [name, date] of [
    ['decades ahead', 'Fri, 01 Jan 2100 00:00:00 GMT'],
    ['past year 9999', 'Sat, 13 Sep 275760 00:00:00 GMT'],
    ['decades behind', 'Thu, 01 Jan 1970 00:00:00 GMT'],
  ] as const) {
    it(`a refusal whose Date is ${name} is not believed: nothing is sent again, later requests are still signed on this machine's clock`, async function () {
      const { service, logs } = await world.proxy();
      let refusals = 0;
      world.upstream.respond = (_arrival, res) => {
        if (refusals++ > 0) return false;
        res.writeHead(403, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'InvalidSignatureException',
          date,
        });
        res.end(
          '{"message":"Signature expired: 20261206T120000Z is now earlier than 20261206T120000Z (20261206T120500Z - 5 min.)"}',
        );
        return true;
      };
      try {
        const refused = await call(service.proxyUrl, { method: 'POST', path: '/lie', body: 'x' });
        expect(refused.status).to.equal(403);
        expect(world.upstream.arrivals).to.have.length(1);
        const warning = logs.records().find((r) => r['event'] === 'clock-skew');
        expect(String(warning?.['msg'])).to.match(/not (adopted|believed)/);

        world.upstream.arrivals.length = 0;
        const later = await call(service.proxyUrl, { path: '/after-lie' });
        expect(later.status, later.body.toString()).to.equal(200);
        expect(world.upstream.arrivals.map((a) => a.verdict.ok)).to.deep.equal([true]);
      } finally {
        world.upstream.respond = undefined;
        await service.close(1000);
      }
    });
  }
  it('a backend\'s own 403 saying "Signature expired" (no x-amzn-ErrorType) goes back as it came: a POST reaches the backend once', async function () {
    const { service } = await world.proxy();
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(403, { 'content-type': 'application/json', 'x-backend': 'own' });
      res.end(
        `{"message":"Signature expired: 20261206T120000Z is now earlier than 20261206T120000Z (20261206T120500Z - 5 min.)"}`,
      );
      return true;
    };
    try {
      const answer = await call(service.proxyUrl, { method: 'POST', path: '/own', body: 'once' });
      expect(answer.status).to.equal(403);
      expect(answer.headers['x-backend']).to.equal('own');
      expect(world.upstream.arrivals).to.have.length(1);
    } finally {
      world.upstream.respond = undefined;
      await service.close(1000);
    }
  });
});
