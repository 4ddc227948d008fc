import { expect } from 'chai';
import {
  cognitoError,
  scriptCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `check` holds (the background attempt has failed and logged), at most 5 s. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await sleep(50);
}

/** The `event` of every warning the session logs. */
function capture() {
  const events: string[] = [];
  return {
    events,
    logger: {
      info: () => undefined,
      warn: (obj: object) => events.push(String((obj as { event?: unknown }).event)),
    },
  };
}

describe('session: a failure is logged as what was being tried', function () {
  this.timeout(20_000);
  useScriptedCognito();

  it('the first login failing is login-failed, not refresh-failed', async function () {
    scriptCognito(() => [500, cognitoError('InternalErrorException')]);
    const { events, logger } = capture();
    const { session, auth } = scriptedSession({ logger });
    await session.start().catch(() => undefined);
    await eventually(() => events.length > 0);
    expect(events).to.include('login-failed');
    expect(events).not.to.include('refresh-failed');
    session.stop();
    auth.destroy();
  });

  it('a refresh failing after a login is refresh-failed', async function () {
    let fail = false;
    scriptCognito(() =>
      fail ? [500, cognitoError('InternalErrorException')] : [200, tokensAnswer(1, 2, 'refresh-1')],
    );
    const { events, logger } = capture();
    const { session, auth } = scriptedSession({ logger });
    await session.start();
    fail = true;
    await sleep(1_050); // inside the margin: the next request starts a refresh
    await session.accessToken();
    await eventually(() => events.length > 0);
    expect(events, `${session.state} ${JSON.stringify(session.status())}`).to.include(
      'refresh-failed',
    );
    expect(events).not.to.include('login-failed');
    session.stop();
    auth.destroy();
  });
});
