import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { SessionUnavailableError } from '../../src/session/index.js';
import {
  cognitoError,
  scriptCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

describe('session: a refused token is replaced by one refresh, within the backoff', function () {
  this.timeout(20_000);
  useScriptedCognito();
  let clock: ReturnType<typeof FakeTimers.install> | undefined;
  afterEach(function () {
    clock?.uninstall();
    clock = undefined;
  });

  /** Our clock jumps `ms` ahead (and keeps running): what is held grows that much older. */
  function age(ms: number): void {
    clock ??= FakeTimers.install({ toFake: ['Date'], now: Date.now(), shouldAdvanceTime: true });
    clock.setSystemTime(Date.now() + ms);
  }

  it('a token only seconds old is never forced: 50 refusals cost Cognito nothing, the token comes back', async function () {
    let n = 0;
    const calls = scriptCognito(() => [200, tokensAnswer(++n, 3600, 'refresh-1')]);
    const { session, auth } = scriptedSession();
    await session.start();
    const young = await session.accessToken();
    age(20_000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => session.replaceAccessToken(young)),
    );
    expect(new Set(answers)).to.deep.equal(new Set([young]));
    expect(calls['InitiateAuth']).to.equal(1);
    session.stop();
    auth.destroy();
  });

  it('after our clock stepped back an hour (the token looks issued in the future), a refused token is still replaced', async function () {
    let n = 0;
    const calls = scriptCognito(() => [200, tokensAnswer(++n, 3600, 'refresh-1')]);
    const { session, auth } = scriptedSession();
    await session.start();
    const refused = await session.accessToken();
    age(-3_600_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => session.replaceAccessToken(refused)),
    );
    expect(new Set(answers)).to.deep.equal(new Set(['access-2']));
    expect(calls['InitiateAuth']).to.equal(2);
    session.stop();
    auth.destroy();
  });

  it('50 concurrent replacements of the same refused token cost one refresh', async function () {
    let n = 0;
    const calls = scriptCognito(() => [200, tokensAnswer(++n, 3600, 'refresh-1')]);
    const { session, auth } = scriptedSession();
    await session.start();
    const stale = await session.accessToken();
    age(31_000);
    const fresh = await Promise.all(
      Array.from({ length: 50 }, () => session.replaceAccessToken(stale)),
    );
    expect(new Set(fresh)).to.deep.equal(new Set(['access-2']));
    expect(calls['InitiateAuth']).to.equal(2);
    session.stop();
    auth.destroy();
  });

  it('with Cognito failing, a storm of replacements costs one refresh, and none more while backing off', async function () {
    let failing = false;
    const calls = scriptCognito(() =>
      failing ? [500, cognitoError('InternalErrorException')] : [200, tokensAnswer(1, 3600, 'r')],
    );
    const { session, auth } = scriptedSession({ backoff: { baseMs: 10_000, maxMs: 20_000 } });
    await session.start();
    const stale = await session.accessToken();
    age(31_000);
    failing = true;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => session.replaceAccessToken(stale).catch((e: unknown) => e)),
    );
    for (const outcome of outcomes) expect(outcome).to.be.instanceOf(SessionUnavailableError);
    // One refresh: ScribeAuth's own 3 attempts (retry policy), not 50 or 100 refreshes.
    expect(calls['InitiateAuth']).to.equal(1 + 3);
    const later = await session.replaceAccessToken(stale).catch((e: unknown) => e);
    expect((later as SessionUnavailableError).retryAfterS).to.be.greaterThan(1);
    expect(calls['InitiateAuth']).to.equal(1 + 3);
    session.stop();
    auth.destroy();
  });
});
