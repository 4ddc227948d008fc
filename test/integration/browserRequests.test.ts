import { expect } from 'chai';
import { connect } from 'node:net';
import { call } from '../support/http.js';
import { World } from '../support/world.js';

describe('a proxy on a workstation: web pages cannot use it', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });
  afterEach(function () {
    world.upstream.arrivals.length = 0;
  });

  it("a no-cors POST from another site's page is refused; the upstream sees nothing", async function () {
    const { service } = await world.proxy();
    const host = new URL(service.proxyUrl).host;
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const answer = await call(service.proxyUrl, {
        method: 'POST',
        path: '/tasks',
        headers: { ...headers, host, 'content-type': 'text/plain' },
        body: '{"do":"something"}',
      });
      expect(answer.status, JSON.stringify(headers)).to.equal(403);
      expect(answer.json<{ error: { code: string } }>().error.code).to.match(
        /^(cross_site|origin)_refused$/,
      );
    }
    expect(world.upstream.arrivals).to.deep.equal([]);
    await service.close(1000);
  });

  it('a rebinding Host is refused; loopback names, PROXY_ALLOWED_HOSTS and legacy clients pass', async function () {
    const { service } = await world.proxy({ PROXY_ALLOWED_HOSTS: 'scribe-proxy' });
    const port = new URL(service.proxyUrl).port;
    const rebound = await call(service.proxyUrl, {
      path: '/mine',
      headers: { host: `rebind.evil.example:${port}` },
    });
    expect(rebound.status).to.equal(403);
    expect(rebound.json<{ error: { code: string } }>().error.code).to.equal('host_refused');
    expect(world.upstream.arrivals).to.deep.equal([]);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `scribe-proxy:${port}`]) {
      const answer = await call(service.proxyUrl, { path: '/mine', headers: { host } });
      expect(answer.status, host).to.equal(200);
    }
    expect(world.upstream.arrivals).to.have.length(3);
    await service.close(1000);
  });

  it('is refused before the body is read: the answer comes while the upload has not started', async function () {
    const { service } = await world.proxy();
    const url = new URL(service.proxyUrl);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /tasks HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: https://evil.example\r\n` +
            'Content-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n',
        );
      });
      socket.once('data', (chunk: Buffer) => {
        socket.destroy();
        resolve(chunk.toString('latin1'));
      });
      socket.on('error', reject);
    });
    expect(head).to.match(/^HTTP\/1\.1 403 /);
    expect(world.upstream.arrivals).to.deep.equal([]);
    await service.close(1000);
  });
});
