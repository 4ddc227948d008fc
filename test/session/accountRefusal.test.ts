import { expect } from 'chai';
import { toScribeError } from '../../src/auth/index.js';
import { accountRefusal } from '../../src/session/accountRefusal.js';

/** A Cognito answer as the AWS SDK throws it, mapped as ScribeAuth maps it. */
const answered = (name: string, status: number) =>
  toScribeError(
    Object.assign(new Error('from Cognito'), { name, $metadata: { httpStatusCode: status } }),
    'InitiateAuth',
  );

describe("session: which refusals of a login are the account's, not an outage", function () {
  it('a 4xx the proxy does not know, and InvalidParameterException: login-refused', function () {
    expect(accountRefusal(answered('SomethingNewException', 400))).to.equal('login-refused');
    expect(accountRefusal(answered('InvalidParameterException', 400))).to.equal('login-refused');
    expect(accountRefusal(answered('InvalidLambdaResponseException', 400))).to.equal(
      'login-refused',
    );
  });

  it('transport faults, 5xx, throttling and a WAF refusal are outages (retried)', function () {
    expect(accountRefusal(answered('InternalErrorException', 500))).to.equal(undefined);
    expect(accountRefusal(answered('ServiceUnavailable', 503))).to.equal(undefined);
    expect(accountRefusal(answered('TooManyRequestsException', 400))).to.equal(undefined);
    expect(accountRefusal(answered('ForbiddenException', 403))).to.equal(undefined);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(accountRefusal(toScribeError(reset, 'InitiateAuth'))).to.equal(undefined);
    expect(accountRefusal(new Error('not from Cognito'))).to.equal(undefined);
  });
});
