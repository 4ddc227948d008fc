import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import type { Service } from '../../src/server/index.js';
import { eventually } from '../support/eventually.js';
import { call, rawJson, sendThenRead } from '../support/http.js';
import { World } from '../support/world.js';

const MiB = 1024 * 1024;

/** A connection that has had one keep-alive request answered, and is held open. */
async function heldConnection(baseUrl: string, path = '/held'): Promise<Socket> {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', () => resolve());
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  });
  return socket;
}

/** Poll `attempt` until it gives something (at most 5 s); undefined if it never did. */
async function firstOf<T>(attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  let found: T | undefined;
  await eventually(async () => (found = await attempt()) !== undefined);
  return found;
}

/** The value of scribe_proxy_overload_refusals_total for `reason`. */
async function refusals(service: Service, reason: string): Promise<number> {
  const metric = await service.metrics.overloadRefusals.get();
  return metric.values.find((v) => v.labels['reason'] === reason)?.value ?? 0;
}

describe('faults: overload (bodies held at once, connections per listener)', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    world = await World.start();
  });
  after(async function () {
    await world?.stop();
  });

  describe('with room for one body of 1 MiB', function () {
    let service: Service;
    let host: string;

    before(async function () {
      ({ service } = await world.proxy({
        LOG_LEVEL: 'warn',
        PROXY_MAX_BODY_BYTES: String(MiB),
        PROXY_MAX_BUFFERED_BYTES: String(MiB),
      }));
      host = new URL(service.proxyUrl).host;
    });

    /** An upload of `length` declared bytes, of which only `sent` are sent for now. */
    function partialUpload(length: number, sent: number) {
      const url = new URL(service.proxyUrl);
      const socket = connect(Number(url.port), url.hostname);
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
      socket.on('error', () => {});
      socket.write(
        `POST /held HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`,
      );
      socket.write(Buffer.alloc(sent, 'a'));
      return {
        finish: () => {
          // Not end(): a half-close is a client leaving, to Node's server.
          socket.write(Buffer.alloc(length - sent, 'b'));
          return closed;
        },
        abort: () => socket.destroy(),
      };
    }

    it('refuses a body that does not fit at once with 503 overloaded and Retry-After, and counts it', async function () {
      const before = await refusals(service, 'buffered_bytes');
      const held = partialUpload(MiB, 1000);
      // The held upload has taken its share once the proxy read its head.
      const refused = await firstOf(async () => {
        const answer = await call(service.proxyUrl, { method: 'POST', path: '/x', body: 'hello' });
        return answer.status === 503 ? answer : undefined;
      });
      expect(refused, 'never refused').not.to.equal(undefined);
      expect(refused?.headers['retry-after']).to.equal('1');
      expect(refused?.json()).to.have.nested.property('error.code', 'overloaded');
      expect(await refusals(service, 'buffered_bytes')).to.be.above(before);
      // A request without a body takes nothing and passes.
      expect((await call(service.proxyUrl, { path: '/no-body' })).status).to.equal(200);
      expect(await held.finish()).to.match(/^HTTP\/1\.1 200 /);
    });

    it('gives the share back however the request ended: done, 413, refused, client gone', async function () {
      const fits = async () =>
        (await call(service.proxyUrl, { method: 'POST', path: '/fits', body: Buffer.alloc(MiB) }))
          .status === 200;
      expect(await fits(), 'after a completed upload').to.equal(true);
      const chunked = await call(service.proxyUrl, {
        method: 'POST',
        path: '/too-large',
        chunks: [Buffer.alloc(MiB - 10), Buffer.alloc(100)],
      });
      expect(chunked.status).to.equal(413);
      expect(await eventually(fits), 'after a chunked 413').to.equal(true);
      const gone = partialUpload(MiB, 1000);
      await eventually(
        async () =>
          (await call(service.proxyUrl, { method: 'POST', path: '/x', body: 'x' })).status === 503,
      );
      gone.abort();
      expect(await eventually(fits), 'after the client left mid-upload').to.equal(true);
    });

    it('a refused upload from a client that sends before it reads still gets its 503', async function () {
      const held = partialUpload(MiB, 1000);
      const text = await firstOf(async () => {
        const answer = await sendThenRead(
          service.proxyUrl,
          `POST /late HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${MiB}\r\n\r\n`,
          Buffer.alloc(MiB),
        );
        return answer.startsWith('HTTP/1.1 503') ? answer : undefined;
      });
      expect(text).to.match(/^HTTP\/1\.1 503 /);
      expect(rawJson(text ?? '').error.code).to.equal('overloaded');
      expect(await held.finish()).to.match(/^HTTP\/1\.1 200 /);
    });
  });

  it('past PROXY_MAX_CONNECTIONS a request is answered 503 overloaded and its connection closed; the held ones still serve', async function () {
    const { service } = await world.proxy({ LOG_LEVEL: 'warn', PROXY_MAX_CONNECTIONS: '3' });
    const held = await Promise.all([1, 2, 3].map(() => heldConnection(service.proxyUrl)));
    try {
      const refused = await call(service.proxyUrl, { path: '/one-too-many' });
      expect(refused.status).to.equal(503);
      expect(refused.headers['retry-after']).to.equal('1');
      expect(refused.headers['connection']).to.equal('close');
      expect(refused.json()).to.have.nested.property('error.code', 'overloaded');
      expect(await refusals(service, 'proxy_connections')).to.equal(1);
      const url = new URL(service.proxyUrl);
      const again = await new Promise<string>((resolve) => {
        held[0]?.once('data', (c: Buffer) => resolve(c.toString('latin1')));
        held[0]?.write(`GET /again HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
      });
      expect(again).to.match(/^HTTP\/1\.1 200 /);
    } finally {
      held.forEach((socket) => socket.destroy());
    }
    const after = await eventually(
      async () => (await call(service.proxyUrl, { path: '/room' })).status === 200,
    );
    expect(after, 'a closed connection frees its place').to.equal(true);
  });

  it('past ADMIN_MAX_CONNECTIONS the admin listener answers 503 overloaded the same way', async function () {
    const { service } = await world.proxy({ LOG_LEVEL: 'warn', ADMIN_MAX_CONNECTIONS: '2' });
    const held = await Promise.all([1, 2].map(() => heldConnection(service.adminUrl, '/healthz')));
    try {
      const refused = await call(service.adminUrl, { path: '/healthz' });
      expect(refused.status).to.equal(503);
      expect(refused.json()).to.have.nested.property('error.code', 'overloaded');
      expect(await refusals(service, 'admin_connections')).to.equal(1);
      // The proxy listener has its own cap.
      expect((await call(service.proxyUrl, { path: '/proxy' })).status).to.equal(200);
    } finally {
      held.forEach((socket) => socket.destroy());
    }
  });
});
