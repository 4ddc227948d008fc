import { expect } from 'chai';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createHardenedServer, defaultLimits } from '../../src/server/hardenedServer.js';
import { createTestCa } from '../support/certificates.js';
import { call } from '../support/http.js';
import { startScriptedProxy, type ScriptedProxy } from '../support/scriptedCognitoProxy.js';

/** Send `text` on a fresh connection, wait for the first bytes of an answer, then reset. */
function sendThenReset(baseUrl: string, text: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    // A process gone (or going) resets the connection itself: the answer is then empty.
    socket.on('error', () => resolve(''));
    socket.once('data', (chunk: Buffer) => {
      socket.resetAndDestroy();
      resolve(chunk.toString('latin1'));
    });
    socket.write(text);
  });
}

describe('faults: a client that resets after a refused CONNECT or Upgrade', function () {
  this.timeout(60_000);
  let proxy: ScriptedProxy;

  beforeEach(async function () {
    proxy = await startScriptedProxy();
  });
  afterEach(async function () {
    await proxy?.stop();
  });

  for (const [name, request] of [
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
    [
      'WebSocket Upgrade',
      'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    ],
  ] as const) {
    it(`does not end the process when a client resets after a refused ${name}, on either listener`, async function () {
      for (const base of [proxy.proxyUrl, proxy.adminUrl]) {
        for (let i = 0; i < 5; i++) {
          const answer = await sendThenReset(base, request);
          // The reset reaches the process after the answer; give it the moment to act on it.
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(proxy.process.child.exitCode, proxy.process.output()).to.equal(null);
          expect(answer, base).to.match(/^HTTP\/1\.1 400/);
        }
        expect((await call(proxy.adminUrl, { path: '/healthz' })).status).to.equal(200);
      }
      expect(proxy.process.output()).not.to.match(/Unhandled|uncaught/i);
    });
  }
});

describe('faults: a client that neither reads nor closes after a refused CONNECT or Upgrade', function () {
  it('is dropped after the keep-alive timeout instead of holding its connection forever', async function () {
    const server = createHardenedServer(() => undefined, {
      ...defaultLimits,
      keepAliveTimeoutMs: 200,
    });
    // Sockets handed over after CONNECT are no longer the HTTP server's to close.
    const accepted = new Set<Socket>();
    server.on('connection', (socket: Socket) => accepted.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const connections = () =>
      new Promise<number>((resolve) => server.getConnections((_err, n) => resolve(n)));
    try {
      for (const request of [
        'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
        'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      ]) {
        // Keeps its own side open after the answer's FIN, as a client that hangs on would.
        const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
        socket.on('error', () => undefined);
        socket.resume();
        socket.write(request);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await connections(), request).to.equal(1);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(await connections(), request).to.equal(0);
        socket.destroy();
      }
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('faults: a client that keeps sending after a refusal the server answered raw', function () {
  this.timeout(20_000);

  /** Open a connection, send `request`, then one byte every 50 ms; the server's connections after `ms`. */
  async function connectionsAfterTrickle(
    server: ReturnType<typeof createHardenedServer>,
    request: string,
    ms: number,
  ): Promise<number> {
    const { port } = server.address() as AddressInfo;
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    socket.resume();
    socket.write(request);
    const trickle = setInterval(() => socket.writable && socket.write('x'), 50);
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return await new Promise<number>((resolve) => server.getConnections((_err, n) => resolve(n)));
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  }

  it('is dropped after the linger even while it trickles bytes, on a plain and a TLS listener', async function () {
    const ca = await createTestCa();
    const limits = { ...defaultLimits, keepAliveTimeoutMs: 200, headersTimeoutMs: 200 };
    const plain = createHardenedServer(() => undefined, limits);
    const tls = createHardenedServer(() => undefined, limits, await ca.server());
    const accepted = new Set<Socket>();
    for (const server of [plain, tls]) {
      server.on('connection', (socket: Socket) => accepted.add(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    }
    try {
      for (const [server, request] of [
        [plain, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
        [plain, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
        [tls, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
      ] as const) {
        expect(await connectionsAfterTrickle(server, request, 1_000), request).to.equal(0);
      }
    } finally {
      for (const socket of accepted) socket.destroy();
      for (const server of [plain, tls]) await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('faults: connections that have not reached HTTP yet at shutdown', function () {
  it('are cut by closeAllConnections: silent, mid-handshake and refused, on a TLS listener', async function () {
    const ca = await createTestCa();
    const server = createHardenedServer(
      () => undefined,
      { ...defaultLimits, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 10_000 },
      await ca.server(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const clients = [
      '',
      '\x16',
      '\x16\x03\x01\x02\x00\x01',
      'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
    ].map((bytes) => {
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      socket.on('error', () => undefined);
      socket.resume();
      if (bytes) socket.write(Buffer.from(bytes, 'latin1'));
      return socket;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      expect(Date.now() - started).to.be.below(2_000);
    } finally {
      for (const socket of clients) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
