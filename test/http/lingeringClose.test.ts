import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { lingeringClose, type LingerBounds } from '../../src/http/index.js';
import { closeNow, listenOnLoopback } from '../support/loopbackServer.js';

/**
 * A server that refuses every upload at once with a closing 413, then lingers within `bounds`;
 * `lingered` resolves with how long its socket stayed open after the request arrived.
 */
async function refusingServer(
  bounds: LingerBounds,
): Promise<{ server: Server; url: URL; lingered: Promise<number> }> {
  let done: (ms: number) => void = () => {};
  const lingered = new Promise<number>((resolve) => (done = resolve));
  const server = createServer((req, res) => {
    const arrived = Date.now();
    req.socket.once('close', () => done(Date.now() - arrived));
    res.writeHead(413, { connection: 'close', 'content-length': '0' });
    res.end();
    res.once('finish', () => lingeringClose(req, bounds));
  });
  return { server, url: new URL(await listenOnLoopback(server)), lingered };
}

/**
 * Upload forever, a chunk every `everyMs`, never closing: the client keeps its side open after
 * the server's FIN (allowHalfOpen), as one still busy sending does.
 */
function uploadForever(url: URL, everyMs: number, chunk: Buffer): () => void {
  const socket = connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
  socket.on('error', () => {});
  socket.resume();
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n`);
  const timer = setInterval(() => socket.write(chunk), everyMs);
  return () => {
    clearInterval(timer);
    socket.destroy();
  };
}

describe('lingering close: after a refusal, the rest of an upload is read for a bounded time and amount', function () {
  let server: Server | undefined;
  afterEach(async function () {
    await closeNow(server);
  });

  it('closes once the client falls silent for the idle bound', async function () {
    const refusing = await refusingServer({ totalMs: 10_000, idleMs: 300, maxBytes: 1 << 30 });
    server = refusing.server;
    // Nothing after the head: silence.
    const stop = uploadForever(refusing.url, 60_000, Buffer.alloc(10));
    expect(await refusing.lingered).to.be.within(250, 3000);
    stop();
  });

  it('closes after the total bound, however steadily the client sends', async function () {
    const refusing = await refusingServer({ totalMs: 600, idleMs: 10_000, maxBytes: 1 << 30 });
    server = refusing.server;
    const stop = uploadForever(refusing.url, 20, Buffer.alloc(100));
    expect(await refusing.lingered).to.be.within(500, 4000);
    stop();
  });

  it('closes once the client has sent more than the byte bound', async function () {
    const refusing = await refusingServer({
      totalMs: 10_000,
      idleMs: 10_000,
      maxBytes: 256 * 1024,
    });
    server = refusing.server;
    const stop = uploadForever(refusing.url, 20, Buffer.alloc(64 * 1024));
    // 256 KiB at 64 KiB every 20 ms: well before the time bounds.
    expect(await refusing.lingered).to.be.below(3000);
    stop();
  });

  it('closes at once when the client closes its side, having read the answer', async function () {
    const refusing = await refusingServer({ totalMs: 10_000, idleMs: 10_000, maxBytes: 1 << 30 });
    server = refusing.server;
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(refusing.url.port), refusing.url.hostname);
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString('latin1');
        socket.end();
      });
      socket.on('close', () => resolve(text));
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n`);
    });
    expect(answer).to.match(/^HTTP\/1\.1 413 /);
    expect(Date.now() - started).to.be.below(2000);
  });
});
