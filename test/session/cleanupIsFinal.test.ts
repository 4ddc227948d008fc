import { expect } from 'chai';
import { ScribeAuth } from '../../src/index.js';
import { OperatorActions, Session, SessionCache } from '../../src/session/index.js';
import {
  idp,
  scriptCognito,
  scriptedSession,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Cognito's answers wait until `release()`; `arrived(n)` resolves once n calls came in. */
function lateCognito(answer: (body: Record<string, unknown>) => [number, unknown]) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let seen = 0;
  const waiters: Array<[number, () => void]> = [];
  const calls = scriptCognito(async (_operation, body) => {
    seen++;
    for (const [n, resolve] of waiters) if (seen >= n) resolve();
    await gate;
    return answer(body);
  });
  const arrived = (n: number) =>
    new Promise<void>((resolve) => (seen >= n ? resolve() : waiters.push([n, resolve])));
  return { calls, release, arrived };
}

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

    // The upstream refuses the token: a refresh starts, and Cognito answers it late.
    const replaced = session.replaceAccessToken('access-1').catch((err: unknown) => err);
    await late.arrived(2);
    session.discard();
    late.release();
    await replaced;
    await sleep(20);
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

  it('a per-client login still running at close() is discarded: not cached, no refresh timer', async function () {
    const late = lateCognito((body) =>
      (body['AuthParameters'] as Record<string, string>)['REFRESH_TOKEN']
        ? [200, tokensAnswer(2, 2)]
        : [200, tokensAnswer(1, 2, 'refresh-1')],
    );
    const auth = new ScribeAuth({
      clientId: 'c',
      endpoints: { cognitoIdentityProvider: idp },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      requestTimeoutMs: 2000,
    });
    const created: Session[] = [];
    const sessions = new SessionCache({
      max: 10,
      idleMs: 60_000,
      // Background refreshes on: tokens living 2 s are refreshed after 1 s.
      create: ({ username, password }) => {
        const session = new Session({
          auth,
          mode: 'bearer',
          username,
          password,
          refreshMarginS: 60,
        });
        created.push(session);
        return session;
      },
    });
    const login = sessions.session('late', 'pw').catch((err: unknown) => err);
    await late.arrived(1);
    sessions.close();
    late.release();
    const result = await login;
    expect(result).to.not.be.instanceOf(Session);
    expect(sessions.size).to.equal(0);
    expect(created[0]?.usable()).to.equal(false);
    expect(created[0]?.status().tokensExpireAt).to.equal(undefined);
    await sleep(1_500); // past the time its refresh was planned for
    expect(late.calls['InitiateAuth']).to.equal(1);
    auth.destroy();
  });
});
