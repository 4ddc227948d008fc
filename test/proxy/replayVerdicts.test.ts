import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import { bearerAuthorizer, sigv4Authorizer } from '../../src/proxy/authorizers.js';
import { clockSkewSeconds } from '../../src/proxy/clockSkew.js';

const sigv4 = sigv4Authorizer(new URL('https://api.example.test/v1'), 'eu-west-2');
const bearer = bearerAuthorizer();
const response = (headers: Record<string, string> = {}) => ({ headers }) as IncomingMessage;
const body = (message: string) => Buffer.from(JSON.stringify({ message }));

describe('proxy: which rejections are replayed', function () {
  it('sigv4: a stale security token is replayed; a signature mismatch or an IAM denial is not', function () {
    for (const message of [
      'The security token included in the request is expired',
      'The security token included in the request is invalid.',
    ]) {
      expect(sigv4.judge(response(), body(message))).to.deep.equal({ kind: 'replay' });
    }
    for (const message of [
      'The request signature we calculated does not match the signature you provided.',
      'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: execute-api:Invoke',
      'Missing Authentication Token',
    ]) {
      expect(sigv4.judge(response(), body(message))).to.deep.equal({ kind: 'final' });
    }
  });

  it('sigv4: "Signature expired" and "not yet current" are clock skew, with the skew', function () {
    expect(
      sigv4.judge(
        response(),
        body(
          'Signature expired: 20261129T100000Z is now earlier than 20261129T100500Z (20261129T101000Z - 5 min.)',
        ),
      ),
    ).to.deep.equal({ kind: 'clock-skew', skewS: 600 });
    expect(
      clockSkewSeconds(
        'Signature not yet current: 20261129T101000Z is still later than 20261129T100500Z (20261129T100000Z + 5 min.)',
      ),
    ).to.equal(-600);
    expect(clockSkewSeconds('Signature expired')).to.equal(undefined);
  });

  it("bearer: only the gateway authorizer's 401 is replayed", function () {
    const header = response({ 'x-amzn-errortype': 'UnauthorizedException:http://internal' });
    expect(bearer.judge(header, Buffer.from('{}'))).to.deep.equal({ kind: 'replay' });
    // A backend's own 401 is never replayed, whatever its body says.
    expect(bearer.judge(response(), body('Unauthorized'))).to.deep.equal({ kind: 'final' });
    expect(bearer.judge(response(), body('not your document'))).to.deep.equal({ kind: 'final' });
    expect(bearer.judge(response(), Buffer.from('<html>401</html>'))).to.deep.equal({
      kind: 'final',
    });
  });
});
