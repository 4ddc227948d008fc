import { expect } from 'chai';
import {
  LimitExceededError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnexpectedResponseError,
} from '../../src/auth/index.js';
import { ChallengePending, NothingToLogInWith } from '../../src/session/errors.js';
import { classifyFailure, judgeFailure } from '../../src/session/refreshPolicy.js';

const notAuthorized = new UnauthorizedError('refused', { cognitoName: 'NotAuthorizedException' });
const waf = new UnauthorizedError('blocked', { cognitoName: 'ForbiddenException' });
const backoff = { baseMs: 1000, maxMs: 8000 };

describe('session: the refresh policy (pure)', function () {
  it('only NotAuthorized on the refresh token drops it', function () {
    expect(classifyFailure(notAuthorized, 'refresh-token')).to.equal('refresh-token-rejected');
    expect(classifyFailure(waf, 'refresh-token')).to.equal('retry');
    expect(classifyFailure(new UnexpectedResponseError('junk'), 'refresh-token')).to.equal('retry');
    expect(classifyFailure(new ServiceUnavailableError('down'), 'refresh-token')).to.equal('retry');
    expect(classifyFailure(new LimitExceededError('limit'), 'refresh-token')).to.equal('retry');
  });

  it('a refused password or a per-user limit waits for an operator; a WAF refusal is retried', function () {
    expect(classifyFailure(notAuthorized, 'password')).to.equal('login-rejected');
    expect(classifyFailure(new LimitExceededError('limit'), 'password')).to.equal('login-rejected');
    expect(classifyFailure(waf, 'password')).to.equal('retry');
    expect(classifyFailure(new NothingToLogInWith(), 'password')).to.equal('login-rejected');
  });

  it('a challenge is a challenge in any phase', function () {
    const mfa = new ChallengePending({
      challengeName: 'SOFTWARE_TOKEN_MFA',
      session: 's',
      username: 'u',
    });
    expect(classifyFailure(mfa, 'password')).to.equal('challenge');
    expect(
      judgeFailure('challenge', {
        holdsValid: true,
        failures: 1,
        backoff,
        challenge: 'SOFTWARE_TOKEN_MFA',
      }),
    ).to.deep.equal({ state: 'mfa-required', backoffMs: undefined });
  });

  it('a retryable failure is degraded while something valid is held, unavailable when not, with growing backoff', function () {
    const half = () => 0.5;
    expect(
      judgeFailure('retry', { holdsValid: true, failures: 1, backoff, random: half }),
    ).to.deep.equal({ state: 'degraded', backoffMs: 750 });
    expect(
      judgeFailure('retry', { holdsValid: false, failures: 3, backoff, random: half }),
    ).to.deep.equal({ state: 'unavailable', backoffMs: 3000 });
    expect(
      judgeFailure('retry', { holdsValid: false, failures: 10, backoff, random: half }).backoffMs,
    ).to.equal(6000);
  });

  it('a definitive rejection needs an operator and plans no retry', function () {
    expect(
      judgeFailure('refresh-token-rejected', { holdsValid: true, failures: 1, backoff }),
    ).to.deep.equal({ state: 'needs-login', backoffMs: undefined });
  });
});
