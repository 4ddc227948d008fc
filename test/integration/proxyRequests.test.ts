import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import type { Service } from '../../src/server/index.js';
import { call, rawExchange } from '../support/http.js';
import { World } from '../support/world.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('the proxy: what goes upstream and what comes back (sigv4, verified by aws4)', function () {
  this.timeout(30_000);
  let world: World;
  let service: Service;
  const limit = 64 * 1024;

  before(async function () {
    world = await World.start();
    ({ service } = await world.proxy({ PROXY_MAX_BODY_BYTES: String(limit) }));
  });
  after(async function () {
    await world?.stop();
  });
  beforeEach(function () {
    world.upstream.arrivals.length = 0;
    world.upstream.respond = undefined;
  });

  function lastArrival() {
    const arrival = world.upstream.arrivals.at(-1);
    if (!arrival) throw new Error('nothing reached the upstream');
    return arrival;
  }

  for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    it(`forwards ${method} with a signature the upstream verifies`, async function () {
      const answer = await call(service.proxyUrl, { method, path: '/tasks/1' });
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(lastArrival()).to.deep.include({ method, url: '/v1/tasks/1' });
      expect(lastArrival().verdict.ok).to.equal(true);
    });
  }

  const paths: Array<[string, string]> = [
    ['an encoded space', '/files/my%20report.pdf'],
    ['unicode', '/files/caf%C3%A9/%E1%88%B4'],
    ['an encoded slash', '/files/a%2Fb'],
    ['a double slash', '//files//x'],
    ['dot segments', '/files/./a/../b'],
    ['reserved characters', "/files/it's(1)*!"],
  ];
  for (const [name, path] of paths) {
    it(`forwards a path with ${name} byte-exact and signed`, async function () {
      const answer = await call(service.proxyUrl, { path });
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(lastArrival().url).to.equal(`/v1${path}`);
      expect(lastArrival().verdict.ok).to.equal(true);
    });
  }

  const queries: Array<[string, string, string]> = [
    ['repeated keys', 'tag=b&tag=a', 'tag=a&tag=b'],
    ['an empty value and a bare key', 'a=&flag', 'a=&flag='],
    ['a raw plus (a literal plus)', 'q=1+1', 'q=1%2B1'],
    ['an encoded space', 'q=a%20b', 'q=a%20b'],
    ['reserved characters', "r=%2F%3F%26!'", 'r=%2F%3F%26%21%27'],
    ['unsorted keys', 'z=1&a=2', 'a=2&z=1'],
    ['bytes that are not UTF-8 (Latin-1 ü, 0xFF)', 'name=M%fcller&q=%FF', 'name=M%FCller&q=%FF'],
    ['UTF-8 and a byte that is not, in one value', 'q=%C3%A9%FF%41', 'q=%C3%A9%FFA'],
  ];
  for (const [name, raw, canonical] of queries) {
    it(`forwards a query with ${name} in canonical form`, async function () {
      const answer = await call(service.proxyUrl, { path: `/search?${raw}` });
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(lastArrival().url).to.equal(`/v1/search?${canonical}`);
      expect(lastArrival().verdict.ok).to.equal(true);
    });
  }

  it('refuses malformed percent-encoding in the query with 400', async function () {
    const answer = await call(service.proxyUrl, { path: '/search?q=%ZZ' });
    expect(answer.status).to.equal(400);
    expect(answer.json()).to.deep.equal({
      error: { code: 'bad_query', message: 'the query string is not valid percent-encoding' },
    });
    expect(world.upstream.arrivals).to.have.length(0);
  });

  const bodies: Array<[string, Buffer, Record<string, string>]> = [
    ['an empty body', Buffer.alloc(0), {}],
    [
      'a JSON body',
      Buffer.from(JSON.stringify({ a: 'é', n: [1, 2] })),
      { 'content-type': 'application/json' },
    ],
    ['a binary body', randomBytes(20_000), { 'content-type': 'application/octet-stream' }],
  ];
  for (const [name, body, headers] of bodies) {
    it(`forwards ${name} intact and signed`, async function () {
      const answer = await call(service.proxyUrl, {
        method: 'POST',
        path: '/upload',
        body,
        headers,
      });
      expect(answer.status, answer.body.toString()).to.equal(200);
      expect(sha256(lastArrival().body)).to.equal(sha256(body));
      expect(lastArrival().headers['content-length']).to.equal(String(body.length));
      expect(lastArrival().verdict.ok).to.equal(true);
    });
  }

  it('forwards a chunked body with a Content-Length', async function () {
    const pieces = [randomBytes(1000), randomBytes(5000), randomBytes(3)];
    const answer = await call(service.proxyUrl, { method: 'PUT', path: '/upload', chunks: pieces });
    expect(answer.status, answer.body.toString()).to.equal(200);
    const arrival = lastArrival();
    expect(arrival.body.equals(Buffer.concat(pieces))).to.equal(true);
    expect(arrival.headers['content-length']).to.equal('6003');
    expect(arrival.headers['transfer-encoding']).to.equal(undefined);
  });

  it('forwards a body exactly at the limit', async function () {
    const body = randomBytes(limit);
    const answer = await call(service.proxyUrl, { method: 'POST', path: '/upload', body });
    expect(answer.status).to.equal(200);
    expect(lastArrival().body.length).to.equal(limit);
  });

  it('answers 413 one byte over the limit, and the upstream sees nothing', async function () {
    const body = randomBytes(limit + 1);
    const answer = await call(service.proxyUrl, { method: 'POST', path: '/upload', body });
    expect(answer.status).to.equal(413);
    expect(answer.json<{ error: { code: string } }>().error.code).to.equal('body_too_large');
    expect(world.upstream.arrivals).to.have.length(0);
  });

  it('answers 413 for a chunked body that grows over the limit', async function () {
    const answer = await call(service.proxyUrl, {
      method: 'POST',
      path: '/upload',
      chunks: [randomBytes(limit), randomBytes(10)],
    });
    expect(answer.status).to.equal(413);
    expect(world.upstream.arrivals).to.have.length(0);
  });

  it('passes status, headers (several Set-Cookie) and body back unchanged', async function () {
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(201, 'Created Here', [
        'Set-Cookie',
        'a=1; Path=/',
        'Set-Cookie',
        'b=2; HttpOnly',
        'X-Custom',
        'kept',
        'Content-Type',
        'text/plain',
      ]);
      res.end('made it');
      return true;
    };
    const answer = await call(service.proxyUrl, { method: 'POST', path: '/things', body: 'x' });
    expect(answer.status).to.equal(201);
    expect(answer.headers['set-cookie']).to.deep.equal(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(answer.headers['x-custom']).to.equal('kept');
    expect(answer.body.toString()).to.equal('made it');
  });

  it("passes the upstream's own 4xx and 5xx through untouched", async function () {
    for (const status of [404, 422, 500, 503]) {
      world.upstream.respond = (_arrival, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ upstream: status }));
        return true;
      };
      const answer = await call(service.proxyUrl, { path: '/x' });
      expect(answer.status).to.equal(status);
      expect(answer.json()).to.deep.equal({ upstream: status });
    }
  });

  it('streams: the first chunk arrives before the upstream finishes', async function () {
    // The upstream finishes once the client has the first chunk, or after 5 s: a proxy that
    // buffered the answer would hand the client its first chunk only after that.
    let upstreamFinished = false;
    let finish: () => void = () => {};
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first\n');
      const timer = setTimeout(() => finish(), 5_000);
      finish = () => {
        clearTimeout(timer);
        if (upstreamFinished) return;
        upstreamFinished = true;
        res.end('last\n');
      };
      return true;
    };
    const { request } = await import('node:http');
    const answer = await new Promise<{ finishedBeforeFirstChunk: boolean; body: string }>(
      (resolve, reject) => {
        const url = new URL(service.proxyUrl);
        request(
          { hostname: url.hostname, port: url.port, path: '/stream', agent: false },
          (res) => {
            let body = '';
            let finishedBeforeFirstChunk = false;
            res.setEncoding('utf8');
            res.once('data', () => {
              finishedBeforeFirstChunk = upstreamFinished;
              finish();
            });
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ finishedBeforeFirstChunk, body }));
          },
        )
          .on('error', reject)
          .end();
      },
    );
    expect(
      answer.finishedBeforeFirstChunk,
      'the upstream finished before the first chunk',
    ).to.equal(false);
    expect(answer.body).to.equal('first\nlast\n');
  });

  it('never forwards client Authorization, X-Amz-* or hop-by-hop headers', async function () {
    const answer = await call(service.proxyUrl, {
      path: '/x',
      headers: {
        authorization: 'Bearer client-secret-token',
        'x-amz-security-token': 'forged',
        'x-amz-date': '20000101T000000Z',
        connection: 'keep-alive, x-private',
        'x-private': 'drop me',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        'x-kept': 'yes',
      },
    });
    expect(answer.status, answer.body.toString()).to.equal(200);
    const headers = lastArrival().headers;
    expect(headers['authorization']).to.match(/^AWS4-HMAC-SHA256 /);
    expect(headers['x-amz-security-token']).to.not.equal('forged');
    expect(headers['x-amz-date']).to.not.equal('20000101T000000Z');
    for (const name of ['x-private', 'keep-alive', 'te', 'proxy-authorization']) {
      expect(headers, name).to.not.have.property(name);
    }
    expect(headers['x-kept']).to.equal('yes');
  });

  it('keeps its upstream connections across bursts of concurrent requests', async function () {
    // Every new upstream connection is a TCP (and, for API Gateway, TLS) handshake: after bursts
    // of 100 requests in flight at once, the upstream should have seen no more than 100.
    world.upstream.respond = async (_arrival, res) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      res.writeHead(200).end('ok');
      return true;
    };
    const before = world.upstream.connections;
    for (let burst = 0; burst < 3; burst++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => call(service.proxyUrl, { path: `/burst/${i}` })),
      );
      expect(answers.map((a) => a.status)).to.deep.equal(answers.map(() => 200));
    }
    expect(world.upstream.connections - before, 'upstream connections opened').to.be.at.most(100);
  });

  it('routes by configuration, never by Host: another loopback name still reaches the configured upstream; a foreign name is refused', async function () {
    const answer = await call(service.proxyUrl, {
      path: '/x',
      headers: { host: 'localhost:1' },
    });
    expect(answer.status).to.equal(200);
    expect(lastArrival().headers['host']).to.equal(new URL(world.upstream.url).host);
    const arrivals = world.upstream.arrivals.length;
    const spoofed = await call(service.proxyUrl, {
      path: '/x',
      headers: { host: 'evil.example.com' },
    });
    expect(spoofed.status).to.equal(403);
    expect(world.upstream.arrivals).to.have.length(arrivals);
  });

  it('refuses an absolute-form target (not an open proxy)', async function () {
    const text = await rawExchange(
      service.proxyUrl,
      'GET http://evil.example.com/steal HTTP/1.1\r\nHost: evil.example.com\r\nConnection: close\r\n\r\n',
    );
    expect(text).to.match(/^HTTP\/1\.1 400 /);
    expect(text).to.include('not_origin_form');
    expect(world.upstream.arrivals).to.have.length(0);
  });

  it('refuses CONNECT', async function () {
    const text = await rawExchange(
      service.proxyUrl,
      'CONNECT evil.example.com:443 HTTP/1.1\r\nHost: evil.example.com:443\r\n\r\n',
    );
    expect(text).to.match(/^HTTP\/1\.1 400 /);
    expect(text).to.include('connect_refused');
  });

  it('answers 431 for oversized headers', async function () {
    const text = await rawExchange(
      service.proxyUrl,
      `GET /x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(text).to.match(/^HTTP\/1\.1 431 /);
  });

  it('gives every answer a request id, keeping a sane one from the client', async function () {
    const mine = await call(service.proxyUrl, {
      path: '/x',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(mine.headers['x-request-id']).to.equal('abc-123');
    const generated = await call(service.proxyUrl, {
      path: '/x',
      headers: { 'x-request-id': 'bad id!' },
    });
    expect(generated.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });
});
