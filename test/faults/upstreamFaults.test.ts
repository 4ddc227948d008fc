import { expect } from 'chai';
import { request } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { EarlyAnswerUpstream, earlyAnswer, type EarlyEnd } from '../support/earlyAnswerUpstream.js';
import { eventually } from '../support/eventually.js';
import { call, rawExchange } from '../support/http.js';
import { World } from '../support/world.js';

/** A GET whose response is read until it ends or breaks: how the body arrived, and how long. */
function readToEnd(baseUrl: string, path: string) {
  const url = new URL(baseUrl);
  return new Promise<{ status: number; body: string; broken: boolean; ms: number }>((resolve) => {
    const started = Date.now();
    const req = request({ hostname: url.hostname, port: url.port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      const done = (broken: boolean) =>
        resolve({ status: res.statusCode ?? 0, body, broken, ms: Date.now() - started });
      res.on('end', () => done(!res.complete));
      res.on('error', () => done(true));
      res.on('aborted', () => done(true));
    });
    req.on('error', () => resolve({ status: 0, body: '', broken: true, ms: Date.now() - started }));
    req.end();
  });
}

describe('faults: the upstream and the client misbehaving', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });
  afterEach(function () {
    world.upstream.respond = undefined;
    world.upstream.arrivals.length = 0;
  });

  it('a client that leaves mid-response is logged and counted as 499, not 200', async function () {
    const { service, logs } = await world.proxy();
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part; ');
      const timer = setInterval(() => res.write('more; '), 50);
      res.once('close', () => clearInterval(timer));
      return true;
    };
    const url = new URL(service.proxyUrl);
    await new Promise<void>((resolve) => {
      const req = request(
        { hostname: url.hostname, port: url.port, path: '/leave-mid-stream', agent: false },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', () => undefined);
      req.end();
    });
    const [record] = await logs.requests('/leave-mid-stream');
    expect(record?.['status']).to.equal(499);
    expect(service.metrics.requestSeries('GET', 499).count).to.equal(1);
    await service.close(1000);
  });

  it('pipelined POST then DELETE on one connection reach the upstream one after the other, in order', async function () {
    const { service } = await world.proxy();
    const events: string[] = [];
    world.upstream.respond = (arrival, res) => {
      events.push(`start ${arrival.method}`);
      setTimeout(
        () => {
          events.push(`end ${arrival.method}`);
          res.end(arrival.method);
        },
        arrival.method === 'POST' ? 300 : 10,
      );
      return true;
    };
    const url = new URL(service.proxyUrl);
    const text = await rawExchange(
      service.proxyUrl,
      `POST /items HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: 2\r\n\r\n{}` +
        `DELETE /items/1 HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`,
    );
    expect(text.match(/HTTP\/1\.1 200/g)).to.have.length(2);
    expect(events).to.deep.equal(['start POST', 'end POST', 'start DELETE', 'end DELETE']);
    await service.close(1000);
  });

  it('pipelined safe requests still overlap', async function () {
    const { service } = await world.proxy();
    let concurrent = 0;
    let most = 0;
    // Each answer waits until two requests are at the upstream at once, or 2 s: a proxy that
    // sends them one after the other gets its answers, late, and the test sees no overlap. (A
    // fixed 200 ms per answer let a stalled event loop end the first before the second came.)
    let overlap: () => void = () => {};
    const overlapped = new Promise<void>((resolve) => (overlap = resolve));
    world.upstream.respond = (_arrival, res) => {
      most = Math.max(most, ++concurrent);
      if (concurrent >= 2) overlap();
      const late = new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      void Promise.race([overlapped, late]).then(() => {
        concurrent--;
        res.end('ok');
      });
      return true;
    };
    const url = new URL(service.proxyUrl);
    const get = (path: string, last = false) =>
      `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;
    const text = await rawExchange(service.proxyUrl, get('/a') + get('/b') + get('/c', true));
    expect(text.match(/HTTP\/1\.1 200/g)).to.have.length(3);
    expect(most).to.be.greaterThan(1);
    await service.close(1000);
  });

  it('a stalled upload is dropped with 408 within the bound, and nothing goes upstream', async function () {
    const { service } = await world.proxy({}, { bodyIdleTimeoutMs: 300 });
    const url = new URL(service.proxyUrl);
    const started = Date.now();
    const text = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      let got = '';
      socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
      socket.write(
        `POST /stalled HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: 100\r\n\r\n0123456789`,
      );
      setTimeout(() => socket.destroy(), 5_000);
    });
    expect(text).to.match(/^HTTP\/1\.1 408/);
    expect(text).to.include('request_timeout');
    expect(Date.now() - started).to.be.below(2_000);
    expect(world.upstream.arrivals).to.have.length(0);
    await service.close(1000);
  });

  it('an upstream that stalls mid-body is cut after UPSTREAM_IDLE_TIMEOUT_MS: the client sees a break', async function () {
    const { service, logs } = await world.proxy({ UPSTREAM_IDLE_TIMEOUT_MS: '300' });
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('only the start');
      return true;
    };
    const answer = await readToEnd(service.proxyUrl, '/stalls');
    expect(answer.status).to.equal(200);
    expect(answer.broken).to.equal(true);
    expect(answer.body).to.equal('only the start');
    expect(answer.ms).to.be.below(2_000);
    const [record] = await logs.requests('/stalls');
    expect(record?.['error']).to.equal('upstream_idle_timeout');
    await service.close(1000);
  });

  it('a rejection whose body breaks off is a 502, not a 500', async function () {
    const { service } = await world.proxy();
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(403, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"message":"The security');
      setTimeout(() => res.destroy(), 50);
      return true;
    };
    const answer = await call(service.proxyUrl, { path: '/broken-rejection' });
    expect(answer.status).to.equal(502);
    expect(answer.json<{ error: { code: string } }>().error.code).to.equal('upstream_unreachable');
    await service.close(1000);
  });

  it('a request still running when the shutdown grace ends gets 503 shutting_down and is logged so', async function () {
    const { service, logs } = await world.proxy();
    let arrived: () => void = () => {};
    const upstreamHasIt = new Promise<void>((resolve) => (arrived = resolve));
    world.upstream.respond = () => {
      arrived();
      return true; // never answers
    };
    const pending = call(service.proxyUrl, { path: '/never-answered' });
    // The shutdown begins once the request is running (not after a guessed delay).
    await upstreamHasIt;
    await service.close(300);
    const answer = await pending;
    expect(answer.status).to.equal(503);
    expect(answer.json<{ error: { code: string } }>().error.code).to.equal('shutting_down');
    const [record] = await logs.requests('/never-answered');
    expect(record?.['error']).to.equal('shutting_down');
    expect(logs.records().some((r) => r['event'] === 'shutdown-cut')).to.equal(true);
  });

  it('an upstream that answers 101 Switching Protocols to a plain request is a 502 at once, not a request hanging for ever', async function () {
    // Node drops such a connection without a response or an error: the request waited for
    // ever (past UPSTREAM_TIMEOUT_MS), holding its place, its connection and its body's bytes.
    const switching = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n',
        ),
      );
    });
    await new Promise<void>((resolve) => switching.listen(0, '127.0.0.1', resolve));
    const { port } = switching.address() as AddressInfo;
    try {
      const { service } = await world.proxy({
        SCRIBE_API_URL: `http://127.0.0.1:${port}/v1`,
        UPSTREAM_TIMEOUT_MS: '5000',
      });
      const started = Date.now();
      const answer = await call(service.proxyUrl, { path: '/items' });
      expect(answer.status).to.equal(502);
      expect(JSON.parse(answer.body.toString('utf8'))).to.have.nested.property(
        'error.code',
        'upstream_unreachable',
      );
      expect(Date.now() - started).to.be.below(4000);
      await service.close(1000);
    } finally {
      switching.close();
    }
  });

  /** A raw upstream that answers each request's head with what `answer` writes. */
  async function scriptedUpstream(answer: (socket: Socket, head: string) => void) {
    const heads: string[] = [];
    const server = createServer((socket) => {
      socket.on('error', () => {});
      let pending = '';
      socket.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        let end: number;
        while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
          const head = pending.slice(0, end);
          pending = pending.slice(end + 4);
          heads.push(head.split('\r\n')[0] ?? '');
          answer(socket, head);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, heads, close: () => server.close() };
  }

  it('a 304 or 204 that states a Content-Length (of the representation) is relayed as it came, without a body', async function () {
    const upstream = await scriptedUpstream((socket, head) => {
      if (head.includes(' /v1/not-modified '))
        socket.write('HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 1234\r\n\r\n');
      else socket.write('HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n');
    });
    try {
      const { service } = await world.proxy({ SCRIBE_API_URL: `${upstream.url}/v1` });
      const notModified = await call(service.proxyUrl, { path: '/not-modified' });
      expect(notModified.status).to.equal(304);
      expect(notModified.headers['etag']).to.equal('"v1"');
      expect(notModified.headers['content-length']).to.equal('1234');
      expect(notModified.body.length).to.equal(0);
      const noContent = await call(service.proxyUrl, { path: '/no-content' });
      expect(noContent.status).to.equal(204);
      expect(noContent.body.length).to.equal(0);
      await service.close(1000);
    } finally {
      upstream.close();
    }
  });

  it('an upstream that sends 100 Continue it was not asked for: a 502 at once, and the next request is served', async function () {
    const upstream = await scriptedUpstream((socket, head) => {
      if (head.includes(' /v1/continue '))
        socket.write(
          'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal',
        );
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext');
    });
    try {
      const { service } = await world.proxy({
        SCRIBE_API_URL: `${upstream.url}/v1`,
        UPSTREAM_TIMEOUT_MS: '5000',
      });
      const started = Date.now();
      const answer = await call(service.proxyUrl, { path: '/continue' });
      expect(answer.status).to.equal(502);
      expect(Date.now() - started).to.be.below(4000);
      const next = await call(service.proxyUrl, { path: '/after' });
      expect([next.status, next.body.toString('utf8')]).to.deep.equal([200, 'next']);
      await service.close(1000);
    } finally {
      upstream.close();
    }
  });

  it('a connection closed under a request before it was ever used is not retried: the upstream sees the request once', async function () {
    // Only a kept-alive connection can have been closed by the keep-alive race; a fresh one
    // that resets may have had the request acted on.
    const upstream = await scriptedUpstream((socket) => socket.resetAndDestroy());
    try {
      const { service } = await world.proxy({ SCRIBE_API_URL: `${upstream.url}/v1` });
      for (const method of ['GET', 'PUT']) {
        const answer = await call(service.proxyUrl, {
          method,
          path: `/once-${method}`,
          ...(method === 'PUT' ? { body: 'x' } : {}),
        });
        expect(answer.status).to.equal(502);
      }
      expect(upstream.heads).to.deep.equal([
        'GET /v1/once-GET HTTP/1.1',
        'PUT /v1/once-PUT HTTP/1.1',
      ]);
      await service.close(1000);
    } finally {
      upstream.close();
    }
  });

  it('a gateway refusal longer than the proxy reads to judge it reaches the client whole, byte for byte', async function () {
    const { service } = await world.proxy();
    const body = Buffer.alloc(300 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    world.upstream.respond = (_arrival, res) => {
      res.writeHead(403, {
        'content-type': 'application/octet-stream',
        'x-amzn-errortype': 'ForbiddenException',
      });
      // Two pieces at once (past what is read to judge it), the rest a little later.
      res.write(body.subarray(0, 100 * 1024));
      res.write(body.subarray(100 * 1024, 200 * 1024));
      setTimeout(() => res.end(body.subarray(200 * 1024)), 50);
      return true;
    };
    const answer = await call(service.proxyUrl, { path: '/long-refusal' });
    expect(answer.status).to.equal(403);
    expect(answer.body.length).to.equal(body.length);
    expect(answer.body.equals(body)).to.equal(true);
    await service.close(1000);
  });

  it('an upstream that sends 103 Early Hints before its answer: the client gets the final answer only', async function () {
    const hinting = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n' +
            'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfinal',
        ),
      );
    });
    await new Promise<void>((resolve) => hinting.listen(0, '127.0.0.1', resolve));
    const { port } = hinting.address() as AddressInfo;
    try {
      const { service } = await world.proxy({ SCRIBE_API_URL: `http://127.0.0.1:${port}/v1` });
      const answer = await call(service.proxyUrl, { path: '/items' });
      expect(answer.status).to.equal(200);
      expect(answer.body.toString('utf8')).to.equal('final');
      expect(answer.headers['content-type']).to.equal('text/plain');
      expect(answer.headers['link']).to.equal(undefined);
      await service.close(1000);
    } finally {
      hinting.close();
    }
  });

  describe('an upstream that answers before it has read the whole body (RFC 9112 §9.3)', function () {
    let early: EarlyAnswerUpstream;
    const sizes = [64 * 1024, 2 * 1024 * 1024, 5 * 1024 * 1024, 9 * 1024 * 1024];
    const rounds = 3;

    before(async function () {
      early = await new EarlyAnswerUpstream().start();
    });
    after(async function () {
      await early?.stop();
    });

    for (const end of ['close', 'reset', 'keep-alive'] as EarlyEnd[]) {
      it(`relays its answer to a POST of any size, every time, and gets the request once (${end})`, async function () {
        const { service } = await world.proxy({ SCRIBE_API_URL: `${early.url}/v1` });
        await early.setEnd(end);
        const seen: string[] = [];
        for (const size of sizes) {
          for (let round = 0; round < rounds; round++) {
            await early.resetCounts();
            const answer = await call(service.proxyUrl, {
              method: 'POST',
              path: '/upload',
              body: Buffer.alloc(size, 0x61),
            });
            const { arrivals } = await early.counts();
            seen.push(
              `${size} B: ${answer.status} ${answer.body.toString('utf8')} (arrivals ${arrivals})`,
            );
          }
        }
        const expected = `${earlyAnswer.status} ${earlyAnswer.body} (arrivals 1)`;
        expect(seen).to.deep.equal(
          sizes.flatMap((size) => Array<string>(rounds).fill(`${size} B: ${expected}`)),
        );
        await service.close(1000);
      });
    }

    for (const method of ['PUT', 'DELETE']) {
      it(`answers a ${method} on a reused pooled connection with the early answer, never sending it twice`, async function () {
        const { service } = await world.proxy({ SCRIBE_API_URL: `${early.url}/v1` });
        await early.setEnd('reset');
        const seen: string[] = [];
        for (const size of sizes) {
          for (let round = 0; round < rounds; round++) {
            await early.resetCounts();
            // A request without a body leaves a kept-alive connection in the proxy's pool...
            const warm = await call(service.proxyUrl, { path: '/warm' });
            // ...which the next request reuses; its early answer closes it.
            const answer = await call(service.proxyUrl, {
              method,
              path: '/items/1',
              // Node frames a DELETE's body only with a Content-Length it is given.
              headers: { 'content-length': String(size) },
              body: Buffer.alloc(size, 0x62),
            });
            const { arrivals, connections } = await early.counts();
            seen.push(
              `${size} B: ${warm.status} then ${answer.status} ${answer.body.toString('utf8')} ` +
                `(arrivals ${arrivals}, connections ${connections})`,
            );
          }
        }
        const expected = `200 then ${earlyAnswer.status} ${earlyAnswer.body} (arrivals 2, connections 1)`;
        expect(seen).to.deep.equal(
          sizes.flatMap((size) => Array<string>(rounds).fill(`${size} B: ${expected}`)),
        );
        await service.close(1000);
      });
    }

    it('drops the connection once relayed when the upstream answered early, kept it open and stopped reading', async function () {
      // Node writes the rest of the body before it ends such a connection: the proxy held that
      // rest in memory, past PROXY_MAX_BUFFERED_BYTES (given back when the request ended), and
      // the socket, until the agent's 60 s timeout (ten 9 MiB uploads: 11 sockets, 120 MiB more).
      const body = 24 * 1024 * 1024;
      let received = 0;
      let upstreamSocket: Socket | undefined;
      const stalling = createServer((socket) => {
        upstreamSocket = socket;
        socket.on('error', () => {});
        socket.on('data', (chunk: Buffer) => (received += chunk.length));
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          socket.pause();
        });
      });
      await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
      const { port } = stalling.address() as AddressInfo;
      try {
        const { service } = await world.proxy({
          SCRIBE_API_URL: `http://127.0.0.1:${port}/v1`,
          PROXY_MAX_BODY_BYTES: String(body),
        });
        const answer = await call(service.proxyUrl, {
          method: 'POST',
          path: '/upload',
          body: Buffer.alloc(body, 0x61),
        });
        expect(`${answer.status} ${answer.body.toString('utf8')}`).to.equal('200 ok');
        // The upstream reads again: only what was already on its way arrives, then the close.
        await new Promise((resolve) => setTimeout(resolve, 200));
        upstreamSocket?.resume();
        expect(await eventually(() => upstreamSocket?.destroyed === true, 3000)).to.equal(true);
        expect(received).to.be.below(body);
        await service.close(1000);
      } finally {
        upstreamSocket?.destroy();
        stalling.close();
      }
    });
  });
});
