import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import type { Service } from '../../src/server/index.js';
import { rawJson, sendThenRead } from '../support/http.js';
import { World } from '../support/world.js';

const MiB = 1024 * 1024;

/** Python's http.client (on this machine): it sends the whole body, then reads the answer. */
function pythonUpload(baseUrl: string, bytes: number, chunked: boolean): Promise<string> {
  const url = new URL(baseUrl);
  const script = `
import http.client, sys
connection = http.client.HTTPConnection(${JSON.stringify(url.hostname)}, ${url.port}, timeout=20)
body = b'x' * ${bytes}
if ${chunked ? 'True' : 'False'}:
    body = iter([body[i:i + 65536] for i in range(0, len(body), 65536)])
try:
    connection.request('POST', '/upload', body=body, encode_chunked=${chunked ? 'True' : 'False'})
    answer = connection.getresponse()
    print(answer.status, answer.read().decode())
except Exception as error:
    print('failed', type(error).__name__, error)
`;
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', script], { timeout: 30_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

/** Send a head, and collect what comes back until the server closes or `ms` pass. */
function headOnly(
  baseUrl: string,
  head: string,
  ms = 5000,
): Promise<{ text: string; closed: boolean }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, ms);
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.write(head);
  });
}

describe('faults: a refused upload reaches a client that sends before it reads', function () {
  this.timeout(60_000);
  let world: World;
  let service: Service;
  let host: string;

  before(async function () {
    world = await World.start();
    // The default limit, 10 MiB, as a user has it.
    ({ service } = await world.proxy({ LOG_LEVEL: 'warn' }));
    host = new URL(service.proxyUrl).host;
  });
  after(async function () {
    await world?.stop();
  });
  beforeEach(function () {
    world.upstream.arrivals.length = 0;
  });

  it("Python's http.client uploading 24 MiB reads the 413 JSON, not a broken pipe or a reset", async function () {
    const answer = await pythonUpload(service.proxyUrl, 24 * MiB, false);
    expect(answer).to.match(/^413 /);
    expect(JSON.parse(answer.slice(4))).to.have.nested.property('error.code', 'body_too_large');
    expect(world.upstream.arrivals).to.have.length(0);
  });

  it("Python's http.client sending 24 MiB chunked reads the 413 JSON", async function () {
    const answer = await pythonUpload(service.proxyUrl, 24 * MiB, true);
    expect(answer).to.match(/^413 /);
    expect(world.upstream.arrivals).to.have.length(0);
  });

  it('a raw client that writes a 24 MiB body before reading gets the 413 and the connection closes', async function () {
    const body = Buffer.alloc(24 * MiB, 'x');
    const text = await sendThenRead(
      service.proxyUrl,
      `POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(text).to.match(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).to.include('connection: close');
    expect(rawJson(text).error.code).to.equal('body_too_large');
  });

  it('a chunked upload that grows over the limit, sent before reading, gets the 413', async function () {
    const piece = Buffer.alloc(MiB, 'x');
    const chunk = Buffer.concat([
      Buffer.from(`${piece.length.toString(16)}\r\n`),
      piece,
      Buffer.from('\r\n'),
    ]);
    const text = await sendThenRead(
      service.proxyUrl,
      `POST /upload HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      [...Array.from({ length: 24 }, () => chunk), Buffer.from('0\r\n\r\n')],
    );
    expect(text).to.match(/^HTTP\/1\.1 413 /);
    expect(rawJson(text).error.code).to.equal('body_too_large');
  });

  it('Expect: 100-continue with a length over the limit is answered 413 at once, never 100 Continue', async function () {
    const { text, closed } = await headOnly(
      service.proxyUrl,
      `POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${24 * MiB}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(text).to.match(/^HTTP\/1\.1 413 /);
    expect(text).not.to.include('100 Continue');
    expect(rawJson(text).error.code).to.equal('body_too_large');
    expect(closed).to.equal(true);
  });

  it('Expect: 100-continue within the limit gets 100 Continue, then the upstream answer', async function () {
    const url = new URL(service.proxyUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let seen = '';
      socket.on('error', reject);
      socket.on('data', (c: Buffer) => {
        const before = seen;
        seen += c.toString('latin1');
        // The body goes only once the proxy asked for it.
        if (!before.includes('100 Continue') && seen.includes('100 Continue'))
          socket.write('hello');
      });
      socket.on('close', () => resolve(seen));
      socket.write(
        `POST /small HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
    });
    expect(text).to.match(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    expect(world.upstream.arrivals.map((a) => a.body.toString())).to.deep.equal(['hello']);
  });

  it('a request pipelined behind a refused upload is never sent upstream', async function () {
    const body = Buffer.alloc(11 * MiB, 'x');
    const text = await sendThenRead(
      service.proxyUrl,
      `POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\n\r\n`,
      [body, Buffer.from(`POST /behind HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\nhi`)],
    ).catch((err: Error) => `failed: ${err.message}`);
    expect(text).to.match(/^HTTP\/1\.1 413 /);
    expect(text.match(/HTTP\/1\.1 /g)).to.have.length(1);
    // Give a request that slipped through the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(world.upstream.arrivals).to.have.length(0);
  });
});
