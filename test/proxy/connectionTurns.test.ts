import { expect } from 'chai';
import type { Socket } from 'node:net';
import { closeTurns, takeTurn as maybeTurn, type Turn } from '../../src/proxy/connectionTurns.js';

const connection = () => ({}) as Socket;

/** The turn of a request on a connection that is not closing. */
function takeTurn(socket: Socket, method: string): Turn {
  const turn = maybeTurn(socket, method);
  if (!turn) throw new Error('the connection is closing');
  return turn;
}

describe('proxy: a connection takes turns when a request is unsafe', function () {
  it('safe requests overlap', function () {
    const socket = connection();
    const a = takeTurn(socket, 'GET');
    const b = takeTurn(socket, 'HEAD');
    expect(a.ready).to.equal(undefined);
    expect(b.ready).to.equal(undefined);
  });

  it('an unsafe request waits for everything before it, and everything after waits for it', async function () {
    const socket = connection();
    const order: string[] = [];
    const get = takeTurn(socket, 'GET');
    const post = takeTurn(socket, 'POST');
    const del = takeTurn(socket, 'DELETE');
    const after = takeTurn(socket, 'GET');
    const started = Promise.all([
      post.ready?.then(() => order.push('POST')),
      del.ready?.then(() => order.push('DELETE')),
      after.ready?.then(() => order.push('GET after')),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).to.deep.equal([]);
    get.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).to.deep.equal(['POST']);
    post.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).to.deep.equal(['POST', 'DELETE']);
    del.release();
    await started;
    expect(order).to.deep.equal(['POST', 'DELETE', 'GET after']);
  });

  it('connections do not wait for each other', function () {
    takeTurn(connection(), 'POST');
    expect(takeTurn(connection(), 'POST').ready).to.equal(undefined);
  });

  it('after an answer that closes the connection, nothing pipelined behind it is handled', function () {
    const socket = connection();
    const refused = takeTurn(socket, 'POST');
    closeTurns(socket);
    refused.release();
    expect(maybeTurn(socket, 'GET')).to.equal(undefined);
    expect(maybeTurn(socket, 'POST')).to.equal(undefined);
    expect(maybeTurn(connection(), 'POST')).not.to.equal(undefined);
  });
});
