import { expect } from 'chai';
import { call } from '../support/http.js';
import { startScriptedProxy, type ScriptedProxy } from '../support/scriptedCognitoProxy.js';

describe('faults: a storm of upstream refusals (scripted Cognito, scribe-proxy serve)', function () {
  this.timeout(60_000);
  let proxy: ScriptedProxy | undefined;

  afterEach(async function () {
    await proxy?.stop();
    proxy = undefined;
  });

  it('the gateway refusing a token only seconds old: 50 requests cost Cognito no refresh, each gets the refusal', async function () {
    proxy = await startScriptedProxy({}, { mode: 'bearer' });
    const p = proxy;
    p.upstream.respond = (_arrival, res) => {
      res.writeHead(401, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnauthorizedException',
      });
      res.end('{"message":"Unauthorized"}');
      return true;
    };
    for (let i = 0; i < 50; i++) {
      const answer = await call(p.proxyUrl, { path: `/refused/${i}` });
      expect(answer.status).to.equal(401);
    }
    // The login only: a token Cognito issued seconds ago is not refreshed because of a refusal.
    expect(p.cognito.count('InitiateAuth')).to.equal(1);
    // Nothing new to send with, so nothing sent twice.
    expect(p.upstream.arrivals).to.have.length(50);
  });
});
