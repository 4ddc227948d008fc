import nock from 'nock';
import { ScribeAuth } from '../../src/index.js';
import { Session, type SessionOptions } from '../../src/session/index.js';
import { operationOf } from './cognitoOperation.js';
import type { PoolScript } from './scriptedPoolServer.js';

/** Mocha hooks for a suite talking to the scripted pool: no real network, no leftover scripts. */
export function useScriptedCognito(): void {
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());
}

/** Where the scripted user pool answers (nock); nothing listens there. */
export const idp = 'http://cognito-idp.session.test';

/** Cognito's JSON error body. */
export function cognitoError(type: string, message = 'nope') {
  return { __type: type, message };
}

/** A login answer: tokens numbered `n`, living `expiresIn` seconds. */
export function tokensAnswer(n: number, expiresIn: number, refreshToken?: string) {
  return {
    AuthenticationResult: {
      AccessToken: `access-${n}`,
      IdToken: `id-${n}`,
      ...(refreshToken ? { RefreshToken: refreshToken } : {}),
      ExpiresIn: expiresIn,
      TokenType: 'Bearer',
    },
  };
}

/**
 * A bearer-mode session against the scripted pool, with ScribeAuth's retries short. `calls`
 * counts the operations it made.
 */
export function scriptedSession(extra: Partial<SessionOptions> = {}) {
  const auth = new ScribeAuth({
    clientId: 'c',
    endpoints: { cognitoIdentityProvider: idp },
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    requestTimeoutMs: 2000,
  });
  const session = new Session({
    auth,
    mode: 'bearer',
    username: 'u',
    password: 'p',
    refreshMarginS: 60,
    proactive: false,
    ...extra,
  });
  return { auth, session };
}

/** Answer each Cognito call with `script(operation, body)`, counting calls by operation. */
export function scriptCognito(script: PoolScript) {
  const calls: Record<string, number> = {};
  nock(idp)
    .persist()
    .post('/')
    .reply(async function (_uri, body) {
      const operation = operationOf(this.req.headers);
      calls[operation] = (calls[operation] ?? 0) + 1;
      const parsed = typeof body === 'string' ? (JSON.parse(body) as unknown) : body;
      return script(operation, parsed as Record<string, unknown>);
    });
  return calls;
}

/** Cognito's answers wait until `release()`; `arrived(n)` resolves once n calls came in. */
export function lateCognito(answer: (body: Record<string, unknown>) => [number, unknown]) {
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
