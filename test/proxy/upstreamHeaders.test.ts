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

  it("never forwards the console's session cookie (a browser sends it to every port of the host); other cookies go on", function () {
    const forwarded = (cookie: string) => forwardableHeaders({ cookie }, 0, 'GET')['cookie'];
    expect(forwarded('scribe-console=abc')).to.equal(undefined);
    expect(forwarded('__Host-scribe-console=abc')).to.equal(undefined);
    expect(forwarded('a=1; scribe-console=abc; b=2')).to.equal('a=1; b=2');
    expect(forwarded('a=1;scribe-console=abc')).to.equal('a=1');
    expect(forwarded('scribe-console-x=1; xscribe-console=2')).to.equal(
      'scribe-console-x=1; xscribe-console=2',
    );
    // A cookie without `=` has no name (RFC 6265bis 5.6): `scribe-consoles` is a value, not ours.
    expect(forwarded('scribe-consoles')).to.equal('scribe-consoles');
    expect(forwarded('a=1; __Host-scribe-consolex; scribe-console=abc')).to.equal(
      'a=1; __Host-scribe-consolex',
    );
  });
});
