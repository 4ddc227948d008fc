import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createHardenedServer, defaultLimits, type Listener } from '../../src/server/index.js';
import { createTestCa, type TestCa } from '../support/certificates.js';

/** The most a test waits for the server to drop a connection: far beyond the 1 s bound. */
const giveUpMs = 15_000;

describe('faults: the hardened server bounds slow clients on a TLS port too', function () {
  this.timeout(30_000);
  let ca: TestCa;
  let server: Listener;
  let port: number;

  before(async function () {
    ca = await createTestCa();
    const pair = await ca.server();
    server = createHardenedServer(
      (_req, res) => res.end('ok'),
      { ...defaultLimits, headersTimeoutMs: 1000, requestTimeoutMs: 3000 },
      { cert: pair.cert, key: pair.key },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async function () {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers 408 to headers that dribble in (slowloris) and closes', async function () {
    const socket = tlsConnect({ port, host: '127.0.0.1', ca: ca.cert, servername: 'localhost' });
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    let sent = 0;
    const dribble = setInterval(() => {
      if (!socket.writable) return;
      socket.write(`X-Slow-${sent++}: a\r\n`);
    }, 200);
    const closed = await new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true));
      socket.on('error', () => undefined);
      setTimeout(() => resolve(false), giveUpMs);
    });
    clearInterval(dribble);
    socket.destroy();
    expect(closed, 'the server dropped the dribbling client').to.equal(true);
    expect(answer).to.match(/^HTTP\/1\.1 408 /);
    expect(answer).to.include('request_timeout');
  });

  for (const [name, bytes] of [
    ['a client that connects and says nothing', Buffer.alloc(0)],
    // The first bytes of a TLS ClientHello record, and no more.
    ['a ClientHello that never finishes', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00])],
  ] as const) {
    it(`drops ${name} within the header bound`, async function () {
      const socket = tcpConnect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      if (bytes.length > 0) socket.write(bytes);
      let answer = '';
      socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
      socket.on('error', () => undefined);
      const closed = await new Promise<boolean>((resolve) => {
        socket.once('close', () => resolve(true));
        setTimeout(() => resolve(false), giveUpMs);
      });
      socket.destroy();
      expect(closed, 'the server dropped the unfinished handshake').to.equal(true);
      expect(answer).not.to.match(/HTTP\//);
      const open = await new Promise<number>((resolve, reject) =>
        server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
      );
      expect(open).to.equal(0);
    });
  }
});
