import { expect } from 'chai';
import { forwardableHeaders } from '../../src/proxy/upstreamHeaders.js';

describe('proxy pass: upstreamHeaders', function () {
  it("forwards a client's x-request-id only when it passes the proxy's own check", function () {
    const ok = forwardableHeaders({ 'x-request-id': 'abc-123.x:y' }, 0, 'GET');
    expect(ok['x-request-id']).to.equal('abc-123.x:y');
    for (const bad of ['has space', 'a'.repeat(129), 'new\u2028line', '<script>']) {
      const headers = forwardableHeaders({ 'x-request-id': bad }, 0, 'GET');
      expect(headers, bad).to.not.have.property('x-request-id');
    }
  });

  it('drops hop-by-hop headers, those Connection names, and any Authorization, X-Amz-* or Host', function () {
    const headers = forwardableHeaders(
      {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': '1',
        'keep-alive': 'timeout=5',
        authorization: 'Bearer client',
        'x-amz-date': '20260101T000000Z',
        host: 'client.example',
        accept: 'application/json',
      },
      0,
      'GET',
    );
    expect(headers).to.deep.equal({ accept: 'application/json' });
  });

  it('sets Content-Length from the buffered body for methods with a body', function () {
    expect(forwardableHeaders({ 'transfer-encoding': 'chunked' }, 5, 'POST')).to.deep.equal({
      'content-length': '5',
    });
    expect(forwardableHeaders({}, 0, 'POST')).to.deep.equal({ 'content-length': '0' });
    expect(forwardableHeaders({}, 0, 'GET')).to.deep.equal({});
  });
});
