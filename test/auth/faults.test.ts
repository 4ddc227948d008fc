import { expect } from 'chai';
import nock from 'nock';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  LimitExceededError,
  ScribeAuth,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnexpectedResponseError,
} from '../../src/index.js';

const idp = 'http://cognito-idp.test';
const identity = 'http://cognito-identity.test';

/** Intercept calls to one Cognito operation (matched on X-Amz-Target). */
function intercept(host: string, operation: string) {
  return nock(host, {
    reqheaders: { 'x-amz-target': (value) => value.endsWith(`.${operation}`) },
  }).post('/');
}

function cognitoError(type: string, message = 'nope') {
  return { __type: type, message };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const refreshAnswer = {
  AuthenticationResult: { AccessToken: 'a.b.c', IdToken: 'i.d.t', ExpiresIn: 3600 },
};

describe('ScribeAuth under Cognito faults (nock)', function () {
  let auth: ScribeAuth;

  before(function () {
    nock.disableNetConnect();
  });
  after(function () {
    nock.enableNetConnect();
  });
  beforeEach(function () {
    auth = new ScribeAuth({
      clientId: 'client',
      userPoolId: 'eu-west-2_pool',
      identityPoolId: 'eu-west-2:pool',
      endpoints: { cognitoIdentityProvider: idp, cognitoIdentity: identity },
      retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterEach(function () {
    nock.disableNetConnect();
    auth.destroy();
    nock.cleanAll();
  });

  it('retries a throttled refresh and succeeds', async function () {
    const scope = intercept(idp, 'InitiateAuth')
      .reply(400, cognitoError('TooManyRequestsException', 'Rate exceeded'))
      .post('/')
      .reply(200, refreshAnswer);
    const tokens = await auth.getTokens({ refreshToken: 'refresh' });
    expect(tokens).to.include({ accessToken: 'a.b.c', refreshToken: 'refresh' });
    expect(scope.isDone()).to.equal(true);
  });

  it('gives up after the policy attempts with TooManyRequestsError', async function () {
    const scope = intercept(idp, 'InitiateAuth')
      .times(4)
      .reply(400, cognitoError('TooManyRequestsException', 'Rate exceeded'));
    const err = await rejection(auth.getTokens({ refreshToken: 'refresh' }));
    expect(err).to.be.instanceOf(TooManyRequestsError);
    expect((err as TooManyRequestsError).httpStatus).to.equal(429);
    expect(scope.isDone()).to.equal(true);
  });

  it('never retries LimitExceeded (each retry burns an attempt)', async function () {
    let calls = 0;
    nock(idp)
      .post('/')
      .times(3)
      .reply(() => {
        calls++;
        return [400, cognitoError('LimitExceededException', 'Attempt limit exceeded')];
      });
    const err = await rejection(auth.getTokens({ refreshToken: 'refresh' }));
    expect(err).to.be.instanceOf(LimitExceededError);
    expect(err.cause).to.have.property('name', 'LimitExceededException');
    expect(calls).to.equal(1);
  });

  it('never retries a password login, even when throttled', async function () {
    let calls = 0;
    nock(idp)
      .post('/')
      .times(3)
      .reply(() => {
        calls++;
        return [400, cognitoError('TooManyRequestsException')];
      });
    const err = await rejection(auth.getTokens({ username: 'u', password: 'secret-pw' }));
    expect(err).to.be.instanceOf(TooManyRequestsError);
    expect(calls).to.equal(1);
    expect(err.message).to.not.include('secret-pw');
  });

  it('never retries a state-changing call (ConfirmForgotPassword) on a 5xx', async function () {
    let calls = 0;
    nock(idp)
      .post('/')
      .times(3)
      .reply(() => {
        calls++;
        return [500, cognitoError('InternalErrorException', 'boom')];
      });
    const err = await rejection(auth.forgotPassword('u', 'New-Passw0rd!', '123456'));
    expect(err).to.be.instanceOf(ServiceUnavailableError);
    expect(calls).to.equal(1);
  });

  it('retries GetId and GetCredentialsForIdentity on 5xx', async function () {
    const expiration = Math.floor(Date.now() / 1000) + 1800;
    const scope = nock(identity)
      .post('/')
      .reply(503, 'Service Unavailable')
      .post('/')
      .reply(200, { IdentityId: 'eu-west-2:abc' })
      .post('/')
      .reply(500, cognitoError('InternalErrorException'))
      .post('/')
      .reply(200, {
        IdentityId: 'eu-west-2:abc',
        Credentials: {
          AccessKeyId: 'ASIA1',
          SecretKey: 's',
          SessionToken: 't',
          Expiration: expiration,
        },
      });
    expect(await auth.getFederatedId('id.token.x')).to.equal('eu-west-2:abc');
    const credentials = await auth.getFederatedCredentials('eu-west-2:abc', 'id.token.x');
    expect(credentials.expiration.getTime()).to.equal(expiration * 1000);
    expect(scope.isDone()).to.equal(true);
  });

  it('retries RevokeToken when the connection is reset', async function () {
    // A real socket reset (nock's simulated errors do not reach the SDK's handler promptly).
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      if (calls === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const local = new ScribeAuth({
      clientId: 'client',
      endpoints: { cognitoIdentityProvider: `http://127.0.0.1:${port}` },
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      expect(await local.revokeRefreshToken('refresh')).to.equal(true);
      expect(calls).to.equal(2);
    } finally {
      local.destroy();
      server.close();
    }
  });

  it('an unreachable Cognito is a ServiceUnavailableError after the retries', async function () {
    nock.enableNetConnect('127.0.0.1');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const local = new ScribeAuth({
      clientId: 'client',
      endpoints: { cognitoIdentityProvider: `http://127.0.0.1:${port}` },
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const err = await rejection(local.getTokens({ refreshToken: 'r' }));
    local.destroy();
    expect(err).to.be.instanceOf(ServiceUnavailableError);
    expect(err.message).to.include('retry later');
    expect(err.message).to.not.include(String(port));
  });

  it('a Cognito host that does not resolve is named in the error', async function () {
    const local = new ScribeAuth({
      clientId: 'client',
      endpoints: { cognitoIdentityProvider: 'http://cognito.does-not-resolve.invalid' },
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    nock.enableNetConnect('cognito.does-not-resolve.invalid');
    const err = await rejection(local.getTokens({ username: 'u', password: 'p' }));
    local.destroy();
    expect(err).to.be.instanceOf(ServiceUnavailableError);
    expect(err.message).to.match(/ENOTFOUND|EAI_AGAIN/);
    expect(err.message).to.include('cognito.does-not-resolve.invalid');
  });

  it('maps a malformed reply to an error, not a crash', async function () {
    nock(idp).post('/').reply(200, '<html>captive portal</html>', {
      'content-type': 'text/html',
    });
    const err = await rejection(auth.getTokens({ username: 'u', password: 'p' }));
    expect(err).to.be.instanceOf(Error);
    expect(err.constructor.name).to.be.oneOf([
      'UnexpectedResponseError',
      'ServiceUnavailableError',
    ]);
  });

  it('says so when Cognito returns no tokens and no challenge', async function () {
    nock(idp).post('/').reply(200, {});
    const err = await rejection(auth.getTokens({ username: 'u', password: 'p' }));
    expect(err).to.be.instanceOf(UnexpectedResponseError);
    expect(err.message).to.include('neither tokens nor a challenge');
  });

  it('says so when GetCredentialsForIdentity returns partial credentials', async function () {
    nock(identity)
      .post('/')
      .reply(200, { Credentials: { AccessKeyId: 'ASIA1' } });
    const err = await rejection(auth.getFederatedCredentials('eu-west-2:abc', 'id.token.x'));
    expect(err).to.be.instanceOf(UnexpectedResponseError);
  });

  it('answers SELECT_MFA_TYPE with the authenticator app', async function () {
    const scope = nock(idp)
      .post('/')
      .reply(200, {
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: 's1',
        ChallengeParameters: {
          USER_ID_FOR_SRP: 'u',
          MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]',
        },
      })
      .post('/', (body: { ChallengeResponses?: { ANSWER?: string } }) => {
        return body.ChallengeResponses?.ANSWER === 'SOFTWARE_TOKEN_MFA';
      })
      .reply(200, {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: 's2',
        ChallengeParameters: { USER_ID_FOR_SRP: 'u' },
      });
    const result = await auth.getTokens({ username: 'u', password: 'p' });
    expect(result).to.deep.equal({
      challengeName: 'SOFTWARE_TOKEN_MFA',
      session: 's2',
      username: 'u',
    });
    expect(scope.isDone()).to.equal(true);
  });

  it('adds SECRET_HASH when the client has a secret', async function () {
    const withSecret = new ScribeAuth({
      clientId: 'client',
      clientSecret: 'shh',
      endpoints: { cognitoIdentityProvider: idp },
    });
    let seen: Record<string, unknown> = {};
    nock(idp)
      .post('/', (body: Record<string, unknown>) => {
        seen = body;
        return true;
      })
      .reply(200, refreshAnswer);
    await withSecret.getTokens({ refreshToken: 'r', username: 'alice' });
    withSecret.destroy();
    // Base64(HMAC-SHA256("shh", "alice" + "client")), computed independently with openssl.
    expect(seen['AuthParameters']).to.deep.include({
      SECRET_HASH: 'JaMbYLINcg1/aJdiJ1jhgT8SnzgAoKRgE3eWboVt1fI=',
    });
  });
});
