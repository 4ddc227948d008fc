import { expect } from 'chai';
import { call, type Answer } from '../support/http.js';
import { startScriptedProxy, type ScriptedProxy } from '../support/scriptedCognitoProxy.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('faults: Cognito answers its headers, then stalls (scripted Cognito, scribe-proxy serve)', function () {
  this.timeout(60_000);
  let proxy: ScriptedProxy | undefined;

  afterEach(async function () {
    await proxy?.stop();
    proxy = undefined;
  });

  it('a stalled refresh ends at COGNITO_TIMEOUT_MS, counts as a failure and backs off; requests are served from what is valid, then get 503 at once', async function () {
    proxy = await startScriptedProxy(
      { COGNITO_TIMEOUT_MS: '500' },
      { tokenSeconds: 12, credentialSeconds: 12 },
    );
    const p = proxy;
    expect((await call(p.proxyUrl, { path: '/warm' })).status).to.equal(200);
    const issued = p.cognito.calls.at(-1)?.at ?? Date.now();
    const before = p.cognito.count();
    p.cognito.bend('*', { kind: 'stall' });
    // The background refresh (due at half of the 12 s) stalls; each stalled call is cut, and
    // tried again (ScribeAuth's retries): more calls arrive. Before a deadline covered the body,
    // the first stalled call never ended.
    const cut = await p.until(() => p.cognito.count() >= before + 2, 12_000);
    expect(cut, 'a stalled Cognito call was never cut').to.equal(true);
    // Still within the credentials' 12 s: served from what is held, at once.
    const during = await call(p.proxyUrl, { path: '/during-stall' });
    expect(during.status, during.body.toString()).to.equal(200);
    // The refresh ends as a failure, and the session backs off.
    const failed = await p.until(
      () => p.logs().some((l) => l['event'] === 'refresh-failed'),
      12_000,
    );
    expect(failed, 'the stalled refresh never failed').to.equal(true);
    // Then nothing valid is held and the session is backing off: 503 at once, not after the
    // 15 s a request may wait for a refresh in flight.
    await p.until(() => false, Math.max(0, 12_500 - (Date.now() - issued)));
    const started = Date.now();
    const answer = await call(p.proxyUrl, { path: '/nothing-valid' });
    expect(answer.status, answer.body.toString()).to.equal(503);
    expect(answer.json<{ error: { code: string } }>().error.code).to.equal('no_session');
    expect(Date.now() - started).to.be.below(10_000);
  });

  it('in per-client mode, 40 stalled logins do not keep later logins out (login_busy) for ever', async function () {
    proxy = await startScriptedProxy({
      COGNITO_TIMEOUT_MS: '500',
      PROXY_SESSIONS: 'per-client',
      SCRIBE_USERNAME: undefined,
      SCRIBE_PASSWORD: undefined,
    });
    const p = proxy;
    for (let i = 0; i <= 40; i++) p.cognito.addUser(`user${i}`, `Passw0rd-${i}!`);
    p.cognito.bend('InitiateAuth', { kind: 'stall' }, 40);
    const stalled: Array<Promise<Answer>> = [];
    for (let i = 0; i < 40; i++) {
      stalled.push(
        call(p.proxyUrl, {
          path: `/stalled/${i}`,
          headers: { authorization: basic(`user${i}`, `Passw0rd-${i}!`) },
        }),
      );
    }
    await p.until(() => p.cognito.count('InitiateAuth') >= 32, 10_000);
    p.cognito.unbend();
    // A later login: refused as busy only while the stalled ones are in flight.
    let later: Answer | undefined;
    const latest = Date.now() + 15_000;
    do {
      later = await call(p.proxyUrl, {
        path: '/later',
        headers: { authorization: basic('user40', 'Passw0rd-40!') },
      });
      if (later.status === 200) break;
      await p.until(() => false, 200);
    } while (Date.now() < latest);
    expect(later.status, later.body.toString()).to.equal(200);
    const answers = await Promise.all(stalled);
    for (const answer of answers) expect(answer.status).to.be.oneOf([200, 429, 502, 503]);
  });
});
