import { expect } from 'chai';
import { apiGatewayMessages } from '../support/verifySigV4.js';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('faults: sigv4, the gateway refusing credentials only seconds old', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });

  it('the refusal goes back as it came: sent once, no new credentials fetched, later requests still signed', async function () {
    const { service } = await world.proxy();
    const warm = await call(service.proxyUrl, { path: '/warm' });
    expect(warm.status).to.equal(200);
    const used = world.emulator.lookup(world.upstream.arrivals.at(-1)?.verdict.accessKeyId ?? '');
    if (!used) throw new Error('no credentials seen');
    // The gateway takes credentials issued a moment ago for expired (its cache, its clock).
    used.expiration = new Date(Date.now() - 1000);
    world.upstream.arrivals.length = 0;
    const before = world.emulator.calls.GetCredentialsForIdentity;
    const answer = await call(service.proxyUrl, { method: 'POST', path: '/jobs', body: 'once' });
    expect(answer.status).to.equal(403);
    expect(answer.body.toString()).to.include(apiGatewayMessages.expiredToken);
    expect(world.upstream.arrivals.filter((a) => a.url === '/v1/jobs')).to.have.length(1);
    expect(world.emulator.calls.GetCredentialsForIdentity).to.equal(before);
    used.expiration = new Date(Date.now() + 3600_000);
    const after = await call(service.proxyUrl, { path: '/after' });
    expect(after.status).to.equal(200);
    await service.close(1000);
  });
});
