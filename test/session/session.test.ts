import { expect } from 'chai';
import nock from 'nock';
import { SessionUnavailableError } from '../../src/session/index.js';
import { idp, scriptedSession, useScriptedCognito } from '../support/scriptedCognito.js';
import { dueAt } from '../../src/session/timing.js';

describe('session policy', function () {
  useScriptedCognito();

  const session = (extra: Parameters<typeof scriptedSession>[0] = {}) =>
    scriptedSession(extra).session;

  it('a password login hitting LimitExceeded is tried once and leaves needs-login', async function () {
    let calls = 0;
    nock(idp)
      .post('/')
      .times(5)
      .reply(() => {
        calls++;
        return [400, { __type: 'LimitExceededException', message: 'Attempt limit exceeded' }];
      });
    const s = session();
    await s.start();
    expect(calls).to.equal(1);
    expect(s.state).to.equal('needs-login');
    const err = await s.accessToken().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(SessionUnavailableError);
    // Later requests do not try again on their own: an operator logs in.
    await s.accessToken().catch(() => undefined);
    expect(calls).to.equal(1);
  });

  it('Cognito failing at start: unavailable, with a Retry-After from the backoff', async function () {
    nock(idp).post('/').times(10).reply(500, { __type: 'InternalErrorException' });
    const s = session({ backoff: { baseMs: 4000, maxMs: 8000 } });
    await s.start();
    expect(s.state).to.equal('unavailable');
    const err = (await s.accessToken().catch((e: unknown) => e)) as SessionUnavailableError;
    expect(err.retryAfterS).to.be.within(2, 4);
    expect(s.status().nextAttemptAt).to.be.a('string');
    s.stop(); // its backoff timer would log in again during a later suite
  });

  it('refreshes a margin before expiry, but never earlier than half the lifetime', function () {
    expect(dueAt(0, 3_600_000, 300_000)).to.equal(3_300_000);
    expect(dueAt(0, 90_000, 300_000)).to.equal(45_000);
    expect(dueAt(0, 10_000, 0)).to.equal(10_000);
  });
});
