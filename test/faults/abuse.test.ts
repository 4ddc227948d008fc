import { expect } from 'chai';
import { request, Agent } from 'node:http';
import { rawExchange } from '../support/http.js';
import { registerLogLines, registerSecret, scanLogs } from '../support/secretScan.js';
import { World } from '../support/world.js';

describe('faults: abuse', function () {
  this.timeout(120_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });

  for (const [name, framing] of [
    [
      'Content-Length and Transfer-Encoding together',
      'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['two different Content-Lengths', 'Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde'],
    ['an obfuscated Transfer-Encoding', 'Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n'],
    ['a bad chunk size', 'Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
  ] as const) {
    it(`refuses a smuggling framing (${name}) with 400, and nothing reaches the upstream`, async function () {
      const { service } = await world.proxy();
      world.upstream.arrivals.length = 0;
      const url = new URL(service.proxyUrl);
      const text = await rawExchange(
        service.proxyUrl,
        `POST /smuggle HTTP/1.1\r\nHost: ${url.host}\r\n${framing}` +
          `GET /second HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`,
      );
      expect(text).to.match(/^HTTP\/1\.1 400/);
      expect(text.match(/HTTP\/1\.1/g)).to.have.length(1);
      expect(world.upstream.arrivals).to.have.length(0);
      await service.close(1000);
    });
  }

  it('refuses a request with two Host lines (RFC 9112) with 400 on both listeners, and nothing is forwarded', async function () {
    // The guard reads the first Host and a front proxy may route by the last: two is no request.
    const { service } = await world.proxy();
    world.upstream.arrivals.length = 0;
    for (const base of [service.proxyUrl, service.adminUrl]) {
      const host = new URL(base).host;
      for (const second of ['evil.example', host]) {
        const text = await rawExchange(
          base,
          `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nhost: ${second}\r\nConnection: close\r\n\r\n`,
        );
        expect(text, `${base} ${second}`).to.match(/^HTTP\/1\.1 400/);
        expect(text).to.include('"code":"duplicate_host"');
      }
    }
    expect(world.upstream.arrivals).to.have.length(0);
    await service.close(1000);
  });

  it('answers an HTTP/1.1 request without Host with a JSON 400 on both listeners, like every refusal; HTTP/1.0 needs none', async function () {
    const { service } = await world.proxy();
    world.upstream.arrivals.length = 0;
    for (const base of [service.proxyUrl, service.adminUrl]) {
      const text = await rawExchange(base, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
      expect(text, base).to.match(/^HTTP\/1\.1 400/);
      expect(text, base).to.include('"code":"missing_host"');
    }
    expect(world.upstream.arrivals).to.have.length(0);
    const old = await rawExchange(service.adminUrl, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect(old).to.match(/^HTTP\/1\.1 200/);
    await service.close(1000);
  });

  it('after refusing two Host lines it handles nothing more on that connection: a pipelined request is not sent upstream', async function () {
    // The refusal closes the connection, so the next request's answer could never reach the
    // client: running it anyway would sign and send a request (a POST, say) nobody sees answered.
    const { service } = await world.proxy();
    world.upstream.arrivals.length = 0;
    const host = new URL(service.proxyUrl).host;
    const text = await rawExchange(
      service.proxyUrl,
      `GET /first HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n` +
        `POST /second HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(text).to.match(/^HTTP\/1\.1 400/);
    expect(text).to.include('"code":"duplicate_host"');
    expect(text.match(/HTTP\/1\.1/g)).to.have.length(1);
    // The upstream would have seen /second by now: the proxy answers no slower than it sends.
    const after = await rawExchange(
      service.proxyUrl,
      `GET /probe HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    expect(after).to.match(/^HTTP\/1\.1 200/);
    const sent = world.upstream.arrivals.map((a) => a.url);
    expect(sent).to.have.length(1);
    expect(sent[0]).to.match(/\/probe$/);
    await service.close(1000);
  });

  it('bytes after a Connection: close request are ignored: the request it forwarded is answered with the upstream answer, not a 400', async function () {
    // RFC 9112 9.6: nothing after `close` is processed. Answering 400 "could not be parsed" in its
    // place told the client a POST the upstream had run was not even read (a retry runs it twice).
    const { service } = await world.proxy();
    const host = new URL(service.proxyUrl).host;
    for (const tail of [`GET /b HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 'x']) {
      world.upstream.arrivals.length = 0;
      const text = await rawExchange(
        service.proxyUrl,
        `POST /a HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}${tail}`,
      );
      expect(world.upstream.arrivals.map((a) => a.method)).to.deep.equal(['POST']);
      expect(text, JSON.stringify(tail)).to.match(/^HTTP\/1\.1 200/);
      expect(text.match(/HTTP\/1\.1/g)).to.have.length(1);
    }
    await service.close(1000);
  });

  it('garbage behind a request still running cuts the connection, never answers 400 in place of or inside its answer', async function () {
    const { service } = await world.proxy();
    const host = new URL(service.proxyUrl).host;
    world.upstream.arrivals.length = 0;
    world.upstream.respond = (_arrival, res) => {
      setTimeout(() => res.end('slow'), 200);
      return true;
    };
    try {
      const text = await rawExchange(
        service.proxyUrl,
        `POST /a HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\n{}\x00garbage\r\n\r\n`,
      );
      expect(text).not.to.include('bad_request');
    } finally {
      world.upstream.respond = undefined;
    }
    await service.close(1000);
  });

  it('refuses open-proxy attempts: absolute-form to another host and CONNECT', async function () {
    const { service } = await world.proxy();
    world.upstream.arrivals.length = 0;
    const absolute = await rawExchange(
      service.proxyUrl,
      'GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n',
    );
    expect(absolute).to.match(/^HTTP\/1\.1 400/);
    expect(absolute).to.include('not_origin_form');
    const connect = await rawExchange(
      service.proxyUrl,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    expect(connect).to.match(/^HTTP\/1\.1 400/);
    expect(world.upstream.arrivals).to.have.length(0);
    await service.close(1000);
  });

  it('2,000 client connections at once: every request answered, the upstream pool bounded', async function () {
    const { service } = await world.proxy({ LOG_LEVEL: 'warn' });
    world.upstream.arrivals.length = 0;
    const before = world.upstream.connections;
    const url = new URL(service.proxyUrl);
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const statuses = await Promise.all(
      Array.from(
        { length: 2000 },
        (_, i) =>
          new Promise<number>((resolve) => {
            const req = request(
              { hostname: url.hostname, port: url.port, path: `/many/${i}`, agent },
              (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode ?? 0));
              },
            );
            req.on('error', () => resolve(0));
            req.end();
          }),
      ),
    );
    agent.destroy();
    const counts = statuses.reduce<Record<number, number>>(
      (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
      {},
    );
    expect(counts).to.deep.equal({ 200: 2000 });
    expect(world.upstream.connections - before).to.be.at.most(256);
    await service.close(1000);
  });

  it('the secret scan finds a secret or a token in a log line', function () {
    const lines = ['{"msg":"fine"}'];
    registerLogLines(lines);
    registerSecret('a-registered-secret-value');
    const clean = scanLogs().leaks.length;
    lines.push('{"msg":"oops a-registered-secret-value"}');
    lines.push('{"token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig"}');
    lines.push('{"reason":"-----BEGIN PRIVATE KEY-----\\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49"}');
    expect(scanLogs().leaks.length - clean).to.equal(3);
    lines.length = 0; // not a leak of the suite's own proxies
  });
});
