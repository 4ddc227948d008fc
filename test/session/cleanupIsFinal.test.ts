import { expect } from 'chai';
import { jumpClock } from '../support/clockJump.js';
import { OperatorActions } from '../../src/session/index.js';
import {
  lateCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session: discard() and close() are final', function () {
  this.timeout(20_000);
  useScriptedCognito();

  it('a refresh in flight during discard() writes nothing back: no tokens, not ready, nothing saved', async function () {
    let n = 0;
    const late = lateCognito(() => [200, tokensAnswer(++n, 3600, `refresh-${n}`)]);
    const saved: Array<string | undefined> = [];
    const { session, auth } = scriptedSession({ onRefreshToken: (t) => void saved.push(t) });
    const started = session.start();
    await late.arrived(1);
    late.release();
    await started;
    expect(await session.accessToken()).to.equal('access-1');

    // The upstream refuses the token (old enough to force a refresh): a refresh starts, and
    // Cognito answers it late.
    const restore = jumpClock(31_000);
    try {
      const replaced = session.replaceAccessToken('access-1').catch((err: unknown) => err);
      await late.arrived(2);
      session.discard();
      late.release();
      await replaced;
      await sleep(20);
    } finally {
      restore();
    }
    expect(session.state).to.equal('needs-login');
    expect(session.usable()).to.equal(false);
    expect(session.status().tokensExpireAt).to.equal(undefined);
    expect(saved).to.deep.equal(['refresh-1']);
    auth.destroy();
  });

  it("an operator's login finishing after discard() is dropped", async function () {
    const late = lateCognito(() => [200, tokensAnswer(1, 3600, 'refresh-1')]);
    const { session, auth } = scriptedSession();
    const login = new OperatorActions(session).login().catch((err: unknown) => err);
    await late.arrived(1);
    session.discard();
    late.release();
    await login;
    expect(session.state).to.equal('needs-login');
    expect(session.usable()).to.equal(false);
    expect(session.status().tokensExpireAt).to.equal(undefined);
    auth.destroy();
  });
});
