import { expect } from 'chai';
import { call } from '../support/http.js';
import { startScriptedProxy, type ScriptedProxy } from '../support/scriptedCognitoProxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hour = 3_600_000;
const adminToken = 'scripted-admin-token-0123456789';

describe("faults: time read on Cognito's clock (scripted Cognito, scribe-proxy serve)", function () {
  this.timeout(60_000);
  let proxy: ScriptedProxy | undefined;

  afterEach(async function () {
    await proxy?.stop();
    proxy = undefined;
  });

  async function status(p: ScriptedProxy) {
    const answer = await call(p.adminUrl, {
      path: '/admin/session',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    return answer.json<{ state: string; tokensExpireAt?: string; credentialsExpireAt?: string }>();
  }

  for (const [what, match, mode] of [
    ['tokens (ExpiresIn 0, an exp in the past)', 'InitiateAuth', 'bearer'],
    ['credentials (an Expiration in the past)', 'GetCredentialsForIdentity', 'sigv4'],
  ] as const) {
    it(`${what} expired on arrival are a failure that backs off, never a loop`, async function () {
      proxy = await startScriptedProxy({ ADMIN_TOKEN: adminToken }, { mode });
      const p = proxy;
      p.cognito.bend(match, { kind: 'expired' });
      const answer = await call(p.proxyUrl, { path: '/x' });
      expect(answer.status, answer.body.toString()).to.equal(503);
      await sleep(3_000);
      // The first login, then backoff (1 s, 2 s, ... with jitter): a handful, not hundreds.
      expect(p.cognito.count(match)).to.be.within(1, 6);
      // Logged as the failure it is: of the first login (tokens) or of the credentials' refresh.
      const failed = mode === 'bearer' ? 'login-failed' : 'refresh-failed';
      expect(p.logs().some((l) => l['event'] === failed)).to.equal(true);
      expect((await status(p)).state).to.equal('unavailable');
    });
  }

  for (const offsetH of [-2, 2]) {
    it(`Cognito's clock ${Math.abs(offsetH)} h ${offsetH < 0 ? 'behind' : 'ahead of'} ours: what it made valid for an hour is used for an hour`, async function () {
      proxy = await startScriptedProxy(
        { ADMIN_TOKEN: adminToken },
        { clockOffsetMs: offsetH * hour, tokenSeconds: 3600, credentialSeconds: 3600 },
      );
      const p = proxy;
      const answer = await call(p.proxyUrl, { path: '/x' });
      expect(answer.status, answer.body.toString()).to.equal(200);
      await sleep(2_000);
      expect((await call(p.proxyUrl, { path: '/y' })).status).to.equal(200);
      // One login, one GetId, one GetCredentialsForIdentity: no refresh loop.
      expect(p.cognito.count()).to.equal(3);
      const s = await status(p);
      for (const at of [s.tokensExpireAt, s.credentialsExpireAt]) {
        const left = Date.parse(at ?? '') - Date.now();
        expect(left).to.be.within(hour - 60_000, hour + 1_000);
      }
    });
  }

  it('a planned refresh never falls due sooner than a floor (tokens valid for 2 s)', async function () {
    proxy = await startScriptedProxy(
      { REFRESH_MARGIN_S: '1' },
      { mode: 'bearer', tokenSeconds: 2 },
    );
    const p = proxy;
    expect((await call(p.proxyUrl, { path: '/x' })).status).to.equal(200);
    // Without a floor the background refresh ran every second from the login on. The floor (5 s
    // from the login's answer) is not met yet 3.5 s after Cognito answered; counted from then,
    // not from /x's answer, which on a slow machine comes late and left too little of the 1 s
    // between a 4 s sleep and the floor.
    const answeredAt = p.cognito.calls.filter((c) => c.operation === 'InitiateAuth')[0]?.at ?? 0;
    await sleep(Math.max(0, answeredAt + 3_500 - Date.now()));
    expect(p.cognito.count('InitiateAuth')).to.equal(1);
  });
});
