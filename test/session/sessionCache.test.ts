import FakeTimers from '@sinonjs/fake-timers';
import { jumpClock } from '../support/clockJump.js';
import { expect } from 'chai';
import { ScribeAuth } from '../../src/index.js';
import {
  ClientLoginError,
  Session,
  SessionCache,
  type EvictionReason,
  type SessionCacheOptions,
  type SessionOptions,
} from '../../src/session/index.js';
import {
  cognitoError,
  idp,
  lateCognito,
  scriptCognito,
  tokensAnswer,
  useScriptedCognito,
} from '../support/scriptedCognito.js';

type Script = Parameters<typeof scriptCognito>[0];

/** Logins answer with tokens for the password `right-<username>`, else NotAuthorized. */
const byPassword: Script = (operation, body) => {
  if (operation !== 'InitiateAuth') return [400, cognitoError('InvalidParameterException')];
  const params = body['AuthParameters'] as Record<string, string>;
  if (params['REFRESH_TOKEN']) return [200, tokensAnswer(2, 3600)];
  return params['PASSWORD'] === `right-${params['USERNAME']}`
    ? [200, tokensAnswer(1, 3600, `refresh-${params['USERNAME']}`)]
    : [400, cognitoError('NotAuthorizedException', 'Incorrect username or password.')];
};

function cache(
  overrides: Partial<SessionCacheOptions> = {},
  sessionOptions: Partial<SessionOptions> = {},
) {
  const auth = new ScribeAuth({
    clientId: 'c',
    endpoints: { cognitoIdentityProvider: idp },
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    requestTimeoutMs: 2000,
  });
  const evictions: EvictionReason[] = [];
  const created: Session[] = [];
  const sessions = new SessionCache({
    max: 10,
    idleMs: 60_000,
    create: ({ username, password }) => {
      const session = new Session({
        auth,
        mode: 'bearer',
        username,
        password,
        refreshMarginS: 60,
        proactive: false,
        ...sessionOptions,
      });
      created.push(session);
      return session;
    },
    onEviction: (reason) => evictions.push(reason),
    ...overrides,
  });
  return { sessions, evictions, created, auth };
}

async function refusal(promise: Promise<unknown>): Promise<ClientLoginError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClientLoginError) return err;
    throw err;
  }
  throw new Error('expected the login to be refused');
}

describe('session cache (per-client mode)', function () {
  useScriptedCognito();

  it('logs an account in once however many requests arrive together', async function () {
    const calls = scriptCognito(byPassword);
    const { sessions } = cache();
    const got = await Promise.all(
      Array.from({ length: 50 }, () => sessions.session('ann', 'right-ann')),
    );
    expect(new Set(got).size).to.equal(1);
    expect(calls['InitiateAuth']).to.equal(1);
    expect(await got[0]?.accessToken()).to.equal('access-1');
    sessions.close();
  });

  it('keeps a separate session per password: a wrong one never reaches the held session', async function () {
    const calls = scriptCognito(byPassword);
    const { sessions } = cache();
    const held = await sessions.session('ann', 'right-ann');
    const err = await refusal(sessions.session('ann', 'wrong'));
    expect(err.outcome).to.equal('rejected');
    expect(err.remembered).to.equal(false);
    expect(await sessions.session('ann', 'right-ann')).to.equal(held);
    expect(held.usable()).to.equal(true);
    expect(calls['InitiateAuth']).to.equal(2);
    sessions.close();
  });

  it('answers repeated failures from the negative cache, and blocks a username after three', async function () {
    const calls = scriptCognito(byPassword);
    const { sessions } = cache();
    await refusal(sessions.session('bob', 'wrong-1'));
    const again = await refusal(sessions.session('bob', 'wrong-1'));
    expect(again.remembered).to.equal(true);
    expect(again.retryAfterS).to.be.within(290, 300);
    expect(calls['InitiateAuth']).to.equal(1);
    await refusal(sessions.session('bob', 'wrong-2'));
    await refusal(sessions.session('bob', 'wrong-3'));
    expect(calls['InitiateAuth']).to.equal(3);
    // Even the right password waits: Cognito would count a fourth attempt towards a lockout.
    const blocked = await refusal(sessions.session('bob', 'right-bob'));
    expect(blocked.remembered).to.equal(true);
    expect(calls['InitiateAuth']).to.equal(3);
    // Another username is not affected.
    await sessions.session('cy', 'right-cy');
    expect(calls['InitiateAuth']).to.equal(4);
    sessions.close();
  });

  it('names a temporary password, MFA, throttling and an unreachable Cognito apart', async function () {
    scriptCognito((operation, body) => {
      const user = (body['AuthParameters'] as Record<string, string>)['USERNAME'];
      if (user === 'temp') {
        return [
          200,
          { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's', ChallengeParameters: {} },
        ];
      }
      if (user === 'mfa') {
        return [
          200,
          { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's', ChallengeParameters: {} },
        ];
      }
      if (user === 'busy') return [400, cognitoError('TooManyRequestsException')];
      return [500, cognitoError('InternalErrorException')];
    });
    const { sessions } = cache();
    const outcomes = [];
    for (const user of ['temp', 'mfa', 'busy', 'down']) {
      outcomes.push((await refusal(sessions.session(user, 'pw'))).outcome);
    }
    expect(outcomes).to.deep.equal([
      'new-password-required',
      'mfa-required',
      'throttled',
      'unavailable',
    ]);
    expect(sessions.size).to.equal(0);
    expect(sessions.cognitoReachable).to.equal(false);
    sessions.close();
  });

  it('refuses new logins beyond the most in flight, without calling Cognito; a login already in flight is joined', async function () {
    let answer: () => void = () => {};
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const calls = scriptCognito(async (operation, body) => {
      await gate;
      return byPassword(operation, body);
    });
    const { sessions } = cache({ maxPendingLogins: 2 });
    const first = sessions.session('gus', 'right-gus');
    const second = sessions.session('hal', 'right-hal');
    const joined = sessions.session('gus', 'right-gus');
    const busy = await refusal(sessions.session('ida', 'right-ida'));
    expect(busy.outcome).to.equal('busy');
    answer();
    expect(await first).to.equal(await joined);
    await second;
    expect(calls['InitiateAuth']).to.equal(2);
    // Not remembered: once the others are done, the same login goes through.
    await sessions.session('ida', 'right-ida');
    expect(calls['InitiateAuth']).to.equal(3);
    sessions.close();
  });

  it('evicts the least recently used session at the count bound, stopping it and dropping its secrets', async function () {
    scriptCognito(byPassword);
    const { sessions, evictions, created } = cache({ max: 3 });
    for (const user of ['a', 'b', 'c']) await sessions.session(user, `right-${user}`);
    await sessions.session('a', 'right-a'); // a is now the most recently used
    await sessions.session('d', 'right-d');
    expect(sessions.size).to.equal(3);
    expect(sessions.list().map((s) => s.username)).to.have.members(['a', 'c', 'd']);
    expect(evictions).to.deep.equal(['capacity']);
    const evicted = created[1]!; // b
    expect(evicted.usable()).to.equal(false);
    expect(evicted.data.password).to.equal(undefined);
    expect(evicted.data.refreshToken).to.equal(undefined);
    expect(evicted.data.tokens).to.equal(undefined);
    sessions.close();
    expect(evictions.filter((r) => r === 'shutdown')).to.have.length(3);
  });

  it('evicts a session unused for the idle time, also when nobody looks it up again', async function () {
    scriptCognito(byPassword);
    const clock = FakeTimers.install({
      now: Date.now(),
      toFake: ['Date', 'setInterval', 'clearInterval'],
    });
    try {
      const { sessions, evictions, created } = cache({ idleMs: 30_000 });
      await sessions.session('idle', 'right-idle');
      await sessions.session('busy', 'right-busy');
      clock.tick(20_000);
      await sessions.session('busy', 'right-busy'); // used: its idle time starts again
      clock.tick(15_000);
      // The sweep evicted it: nothing looked it up.
      expect(evictions).to.deep.equal(['idle']);
      expect(sessions.list().map((s) => s.username)).to.deep.equal(['busy']);
      expect(created[0]?.data.tokens).to.equal(undefined);
      clock.tick(30_000);
      expect(sessions.size).to.equal(0);
      expect(evictions).to.deep.equal(['idle', 'idle']);
      sessions.close();
    } finally {
      clock.uninstall();
    }
  });

  it('logs in anew when a held session can no longer refresh (its login was refused since)', async function () {
    let passwordChanged = false;
    const calls = scriptCognito((operation, body) => {
      if (passwordChanged) {
        return [400, cognitoError('NotAuthorizedException', 'Incorrect username or password.')];
      }
      return byPassword(operation, body);
    });
    const { sessions, evictions } = cache();
    const first = await sessions.session('dee', 'right-dee');
    // Elsewhere, the password changes and the refresh token is revoked: the session's next
    // refresh (the upstream refused its token) finds both refused.
    passwordChanged = true;
    // Older than the 30 s a refused token must reach before it forces a refresh.
    const restore = jumpClock(31_000);
    try {
      await first.replaceAccessToken('access-1').catch(() => undefined);
    } finally {
      restore();
    }
    expect(first.state).to.equal('needs-login');
    const err = await refusal(sessions.session('dee', 'right-dee'));
    expect(err.outcome).to.equal('rejected');
    expect(evictions).to.deep.equal(['failed']);
    // The login, the refused refresh token and password, the new login.
    expect(calls['InitiateAuth']).to.equal(4);
    sessions.close();
  });

  it('evicts all sessions of a username on request, revoking their refresh tokens', async function () {
    const calls = scriptCognito((operation, body) =>
      operation === 'RevokeToken' ? [200, {}] : byPassword(operation, body),
    );
    const { sessions, evictions } = cache();
    await sessions.session('eve', 'right-eve');
    await sessions.session('fay', 'right-fay');
    expect(await sessions.evict('eve', true)).to.deep.equal({ evicted: 1, revoked: 1 });
    expect(calls['RevokeToken']).to.equal(1);
    // Revoked to be evicted: not logged in again.
    expect(calls['InitiateAuth']).to.equal(2);
    expect(await sessions.evict('eve')).to.deep.equal({ evicted: 0, revoked: 0 });
    expect(evictions).to.deep.equal(['admin']);
    expect(sessions.list().map((s) => s.username)).to.deep.equal(['fay']);
    sessions.close();
  });

  it('a login still running at close() is discarded: not cached, no refresh timer', async function () {
    // Counted by this login's own calls: a session another suite left running may call too.
    let ours = 0;
    const late = lateCognito((body) => {
      const params = body['AuthParameters'] as Record<string, string>;
      if (params['USERNAME'] === 'late' || params['REFRESH_TOKEN'] === 'refresh-late') ours++;
      return params['REFRESH_TOKEN']
        ? [200, tokensAnswer(2, 2)]
        : [200, tokensAnswer(1, 2, 'refresh-late')];
    });
    // Background refreshes on: tokens living 2 s are refreshed after 1 s.
    const { sessions, created } = cache({}, { proactive: true });
    const login = sessions.session('late', 'pw').catch((err: unknown) => err);
    await late.arrived(1);
    sessions.close();
    late.release();
    expect(await login).to.be.instanceOf(ClientLoginError);
    expect(sessions.size).to.equal(0);
    expect(created[0]?.usable()).to.equal(false);
    expect(created[0]?.status().tokensExpireAt).to.equal(undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past its planned refresh
    expect(ours).to.equal(1);
  });
});
