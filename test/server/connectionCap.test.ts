import { expect } from 'chai';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { ConnectionCap } from '../../src/server/connectionCap.js';
import { createTestCa } from '../support/certificates.js';

/** A TLS connection: the socket once its handshake finished, or the error that ended it first. */
function tlsConnection(port: number, ca: string): Promise<TLSSocket | Error> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', servername: 'localhost', ca });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', (err) => resolve(err));
    socket.once('close', () => resolve(new Error('closed before the handshake finished')));
  });
}

describe('the connection cap on an HTTPS listener', function () {
  this.timeout(20_000);
  let server: Server | undefined;
  after(function () {
    server?.closeAllConnections();
    server?.close();
  });

  it('closes a connection past the cap before its TLS handshake, counts it, and lets one in once a place is free', async function () {
    const ca = await createTestCa();
    const pair = await ca.server();
    let refused = 0;
    const cap = new ConnectionCap(2, () => refused++);
    server = createServer(
      { cert: pair.cert, key: pair.key },
      cap.guard((_req, res) => res.end('ok')),
    );
    cap.watch(server);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const held = [await tlsConnection(port, ca.cert), await tlsConnection(port, ca.cert)];
    expect(held.every((s) => !(s instanceof Error))).to.equal(true);
    const third = await tlsConnection(port, ca.cert);
    expect(third).to.be.instanceOf(Error);
    expect(refused).to.equal(1);
    (held[0] as TLSSocket).destroy();
    // The freed place is taken by the next connection.
    for (let i = 0; i < 100 && cap.open >= 2; i++) await new Promise((r) => setTimeout(r, 10));
    const fourth = await tlsConnection(port, ca.cert);
    expect(fourth).not.to.be.instanceOf(Error);
    (held[1] as TLSSocket).destroy();
    (fourth as TLSSocket).destroy();
  });
});
