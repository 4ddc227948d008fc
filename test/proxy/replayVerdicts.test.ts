import { expect } from 'chai';
import { bearerAuthorizer, sigv4Authorizer } from '../../src/proxy/authorizers.js';
import { clockSkewSeconds } from '../../src/proxy/clockSkew.js';
import type { AnswerHeaders } from '../../src/proxy/upstreamAnswer.js';

const sigv4 = sigv4Authorizer(new URL('https://api.example.test/v1'), 'eu-west-2');
const bearer = bearerAuthorizer();
const response = (headers: Record<string, string> = {}): AnswerHeaders => ({
  header: (name) => headers[name],
});
// API Gateway marks every refusal it makes itself; a backend's answer carries no such mark.
const gateway = (headers: Record<string, string> = {}) =>
  response({ 'x-amzn-errortype': 'ForbiddenException', ...headers });
const body = (message: string) => Buffer.from(JSON.stringify({ message }));

describe('proxy: which rejections are replayed', function () {
  it('sigv4: a stale security token is replayed; a signature mismatch or an IAM denial is not', function () {
    for (const message of [
      'The security token included in the request is expired',
      'The security token included in the request is invalid.',
    ]) {
      expect(sigv4.judge(gateway(), body(message))).to.deep.equal({ kind: 'replay' });
    }
    for (const message of [
      'The request signature we calculated does not match the signature you provided.',
      'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: execute-api:Invoke',
      'Missing Authentication Token',
    ]) {
      expect(sigv4.judge(gateway(), body(message))).to.deep.equal({ kind: 'final' });
    }
  });

  it('sigv4: "Signature expired" and "not yet current" are clock skew, the offset read from the gateway\'s Date', function () {
    const inTenMinutes = new Date(Date.now() + 600_000).toUTCString();
    const verdict = sigv4.judge(
      gateway({ date: inTenMinutes }),
      body(
        'Signature expired: 20261129T100000Z is now earlier than 20261129T100500Z (20261129T101000Z - 5 min.)',
      ),
    );
    expect(verdict.kind).to.equal('clock-skew');
    const offsetMs = verdict.kind === 'clock-skew' ? (verdict.offsetMs ?? 0) : 0;
    expect(Math.abs(offsetMs - 600_000)).to.be.below(2000);
    // Without a Date header, the times in the message say it.
    expect(
      sigv4.judge(
        gateway(),
        body(
          'Signature expired: 20261129T100000Z is now earlier than 20261129T100500Z (20261129T101000Z - 5 min.)',
        ),
      ),
    ).to.deep.equal({ kind: 'clock-skew', offsetMs: 600_000 });
    expect(sigv4.judge(gateway(), body('Signature expired'))).to.deep.equal({
      kind: 'clock-skew',
      offsetMs: undefined,
    });
    expect(
      clockSkewSeconds(
        'Signature not yet current: 20261129T101000Z is still later than 20261129T100500Z (20261129T100000Z + 5 min.)',
      ),
    ).to.equal(-600);
  });

  it("sigv4: a backend's own 403 is never replayed, whatever its body says (it carries no x-amzn-ErrorType)", function () {
    for (const message of [
      'The security token included in the request is expired',
      'Signature expired: 20261129T100000Z is now earlier than 20261129T100500Z (20261129T101000Z - 5 min.)',
    ]) {
      expect(sigv4.judge(response(), body(message)), message).to.deep.equal({ kind: 'final' });
    }
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
