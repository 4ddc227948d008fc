import { expect } from 'chai';
import { SessionUnavailableError } from '../../src/session/index.js';
import {
  scriptCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session: requests get what is valid, and wait only when nothing is', function () {
  this.timeout(20_000);
  useScriptedCognito();

  it('inside the refresh margin, with the refresh hanging, the held token is served at once', async function () {
    let hang = false;
    scriptCognito(async () => {
      if (hang) await sleep(5_000);
      return [200, tokensAnswer(1, 4, 'refresh-1')];
    });
    const { session, auth } = scriptedSession();
    await session.start();
    await sleep(2_100); // due at half its 4 s life
    hang = true;
    const started = Date.now();
    expect(await session.accessToken()).to.equal('access-1');
    // Not after the hanging refresh (5 s). 100 ms was a bound on scheduling: a process that
    // shares a loaded core can wait that long for its turn.
    expect(Date.now() - started).to.be.below(1_000);
    session.stop();
    auth.destroy();
  });

  it('with nothing valid, a request waits for the refresh only up to maxWaitMs, then 503', async function () {
    scriptCognito(async () => {
      await sleep(3_000);
      return [200, tokensAnswer(1, 3600, 'refresh-1')];
    });
    const { session, auth } = scriptedSession({ maxWaitMs: 300 });
    void session.start();
    const started = Date.now();
    const err = await session.accessToken().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(SessionUnavailableError);
    expect((err as SessionUnavailableError).state).to.equal('starting');
    expect(Date.now() - started).to.be.within(250, 1_000);
    session.stop();
    auth.destroy();
  });

  it('an aborted signal ends the wait at once with its reason', async function () {
    scriptCognito(async () => {
      await sleep(3_000);
      return [200, tokensAnswer(1, 3600, 'refresh-1')];
    });
    const { session, auth } = scriptedSession();
    void session.start();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client left')), 100);
    const started = Date.now();
    const err = (await session.accessToken(controller.signal).catch((e: unknown) => e)) as Error;
    expect(err.message).to.equal('client left');
    expect(Date.now() - started).to.be.below(1_000);
    session.stop();
    auth.destroy();
  });
});
