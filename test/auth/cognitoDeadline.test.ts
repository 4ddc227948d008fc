import { expect } from 'chai';
import { ScribeAuth, ServiceUnavailableError, isChallenge } from '../../src/index.js';
import { eventually } from '../support/eventually.js';
import { scribeAuthOn } from '../support/scriptedAuth.js';
import { ScriptedCognito } from '../support/scriptedCognitoServer.js';

describe('ScribeAuth: one deadline per Cognito call, connect to the last byte', function () {
  let cognito: ScriptedCognito;
  let auth: ScribeAuth;

  beforeEach(async function () {
    cognito = await new ScriptedCognito().start();
    cognito.addUser('ann', 'Ann-Passw0rd!');
    auth = scribeAuthOn(cognito, {
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      requestTimeoutMs: 300,
    });
  });
  afterEach(async function () {
    auth.destroy();
    await cognito.stop();
  });

  async function tokens() {
    const result = await auth.getTokens({ username: 'ann', password: 'Ann-Passw0rd!' });
    if (isChallenge(result)) throw new Error('unexpected challenge');
    return result;
  }

  const stalledCalls: Array<
    [string, string, (t: Awaited<ReturnType<typeof tokens>>) => Promise<unknown>]
  > = [
    [
      'a password login',
      'InitiateAuth',
      () => auth.getTokens({ username: 'ann', password: 'Ann-Passw0rd!' }),
    ],
    ['a refresh', 'InitiateAuth', (t) => auth.getTokens({ refreshToken: t.refreshToken })],
    ['GetId', 'GetId', (t) => auth.getFederatedId(t.idToken)],
    [
      'GetCredentialsForIdentity',
      'GetCredentialsForIdentity',
      (t) => auth.getFederatedCredentials('eu-west-2:x', t.idToken),
    ],
    ['RevokeToken', 'RevokeToken', (t) => auth.revokeRefreshToken(t.refreshToken)],
  ];

  for (const [label, operation, run] of stalledCalls) {
    it(`${label} stalled after its headers fails as Cognito unreachable, and its sockets close`, async function () {
      const t = await tokens();
      cognito.bend(operation, { kind: 'stall' });
      const err = await run(t).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ServiceUnavailableError);
      expect((err as Error).message).to.include(operation);
      // Idempotent calls are retried (twice here); a password login is tried once.
      expect(cognito.count(operation)).to.be.greaterThan(0);
      // The client's close reaches the scripted Cognito soon, not at a known moment.
      await eventually(() => cognito.stalledOpen === 0);
      expect(cognito.stalledOpen, 'the stalled answers were not dropped').to.equal(0);
    });
  }
});
