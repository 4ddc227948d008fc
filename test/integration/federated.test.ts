import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { expect } from 'chai';
import { request } from 'node:http';
import {
  isChallenge,
  MissingIdError,
  ResourceNotFoundError,
  ScribeAuth,
  UnauthorizedError,
  type FederatedCredentials,
  type Tokens,
} from '../../src/index.js';
import type { StartedProcess } from '../support/childProcess.js';
import { CognitoLocal, type TestPool } from '../support/cognitoLocal.js';
import { IdentityPoolEmulator } from '../support/identityPoolEmulator.js';
import { startMotoServer } from '../support/motoServer.js';
import { VerifyingUpstream } from '../support/verifyingUpstream.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Send a request with the headers getSignatureForRequest returned; resolve status and body. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('federated identity and credentials', function () {
  this.timeout(40_000);
  let cognito: CognitoLocal;
  let pool: TestPool;
  let tokens: Tokens;

  before(async function () {
    cognito = await CognitoLocal.start();
    pool = await cognito.createPool();
    await cognito.createUser(pool, 'fed-user', 'Fed-Passw0rd!');
    const login = new ScribeAuth({
      clientId: pool.clientId,
      endpoints: { cognitoIdentityProvider: cognito.endpoint },
    });
    const result = await login.getTokens({ username: 'fed-user', password: 'Fed-Passw0rd!' });
    login.destroy();
    if (isChallenge(result)) throw new Error('unexpected challenge');
    tokens = result;
  });

  after(async function () {
    await cognito?.stop();
  });

  describe('against the identity-pool emulator (checks the id token against JWKS)', function () {
    let emulator: IdentityPoolEmulator;
    let upstream: VerifyingUpstream;
    let auth: ScribeAuth;

    before(async function () {
      emulator = await new IdentityPoolEmulator({
        identityPoolId: 'eu-west-2:emulated-pool',
        region: 'eu-west-2',
        userPoolId: pool.userPoolId,
        userPoolEndpoint: cognito.endpoint,
        clientIds: [pool.clientId],
        credentialSeconds: 900,
      }).start();
      upstream = await new VerifyingUpstream({
        mode: 'sigv4',
        resolve: (id) => emulator.lookup(id),
      }).start();
      auth = new ScribeAuth({
        clientId: pool.clientId,
        userPoolId: pool.userPoolId,
        identityPoolId: 'eu-west-2:emulated-pool',
        endpoints: {
          cognitoIdentityProvider: cognito.endpoint,
          cognitoIdentity: emulator.endpoint,
        },
      });
    });

    after(async function () {
      auth?.destroy();
      await upstream?.stop();
      await emulator?.stop();
    });

    it('gets the same identity id for the same user', async function () {
      const first = await auth.getFederatedId(tokens.idToken);
      expect(first).to.match(/^eu-west-2:[0-9a-f-]{36}$/);
      expect(await auth.getFederatedId(tokens.idToken)).to.equal(first);
    });

    it('gets credentials that expire when the pool says', async function () {
      const identityId = await auth.getFederatedId(tokens.idToken);
      const credentials = await auth.getFederatedCredentials(identityId, tokens.idToken);
      expect(credentials.accessKeyId).to.match(/^ASIA/);
      const seconds = (credentials.expiration.getTime() - Date.now()) / 1000;
      expect(seconds).to.be.within(880, 901);
    });

    it('signs requests the verifying upstream accepts', async function () {
      const identityId = await auth.getFederatedId(tokens.idToken);
      const credentials = await auth.getFederatedCredentials(identityId, tokens.idToken);
      const body = Buffer.from(JSON.stringify({ filename: 'report é.pdf' }));
      const url = `${upstream.url}/v1/tasks/a%20b?b=2&a=1+1`;
      const headers = await auth.getSignatureForRequest({ method: 'POST', url, body }, credentials);
      const answer = await send(
        url,
        'POST',
        { ...headers, 'content-type': 'application/json' },
        body,
      );
      expect(answer.status, answer.body).to.equal(200);
      expect(JSON.parse(answer.body)).to.include({ verified: true, bodyBytes: body.length });
    });

    it('a signature from other credentials is refused upstream', async function () {
      const identityId = await auth.getFederatedId(tokens.idToken);
      const real = await auth.getFederatedCredentials(identityId, tokens.idToken);
      const forged: FederatedCredentials = { ...real, secretKey: 'not-the-secret' };
      const url = `${upstream.url}/v1/tasks`;
      const headers = await auth.getSignatureForRequest({ method: 'GET', url }, forged);
      const answer = await send(url, 'GET', headers);
      expect(answer.status).to.equal(403);
      expect(answer.body).to.include('signature we calculated does not match');
    });

    it('a tampered id token is refused with UnauthorizedError', async function () {
      const [head, payload] = tokens.idToken.split('.');
      const forged = `${head}.${payload}.${'A'.repeat(86)}`;
      const err = await rejection(auth.getFederatedId(forged));
      expect(err).to.be.instanceOf(UnauthorizedError);
      expect(err.message).to.not.include(forged);
    });

    it('an unknown identity pool is a ResourceNotFoundError', async function () {
      const other = new ScribeAuth({
        clientId: pool.clientId,
        userPoolId: pool.userPoolId,
        identityPoolId: 'eu-west-2:no-such-pool',
        endpoints: { cognitoIdentity: emulator.endpoint },
      });
      const err = await rejection(other.getFederatedId(tokens.idToken));
      other.destroy();
      expect(err).to.be.instanceOf(ResourceNotFoundError);
    });

    it('without an identity pool id, says what is missing', async function () {
      const bare = new ScribeAuth(pool.clientId);
      const err = await rejection(bare.getFederatedId(tokens.idToken));
      bare.destroy();
      expect(err.message).to.include('identityPoolId');
      expect(err).to.not.be.instanceOf(MissingIdError);
    });
  });

  describe('against moto_server (a second, independent Cognito Identity)', function () {
    let moto: StartedProcess;
    let identityPoolId: string;
    let auth: ScribeAuth;

    before(async function () {
      moto = await startMotoServer();
      const admin = new CognitoIdentityClient({
        endpoint: moto.url,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      const created = await admin.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'scribe_test',
          AllowUnauthenticatedIdentities: false,
          CognitoIdentityProviders: [
            {
              ProviderName: `cognito-idp.eu-west-2.amazonaws.com/${pool.userPoolId}`,
              ClientId: pool.clientId,
            },
          ],
        }),
      );
      admin.destroy();
      identityPoolId = created.IdentityPoolId ?? '';
      auth = new ScribeAuth({
        clientId: pool.clientId,
        userPoolId: pool.userPoolId,
        identityPoolId,
        endpoints: { cognitoIdentity: moto.url },
      });
    });

    after(async function () {
      auth?.destroy();
      await moto?.stop();
    });

    it('gets an identity id and credentials with an expiry', async function () {
      const identityId = await auth.getFederatedId(tokens.idToken);
      // moto cannot tell the region of an unsigned call, so it names its default one.
      expect(identityId).to.match(/^[a-z]{2}-[a-z]+-\d:[0-9a-f-]{36}$/);
      const credentials = await auth.getFederatedCredentials(identityId, tokens.idToken);
      expect(credentials.accessKeyId).to.be.a('string').and.not.empty;
      expect(credentials.sessionToken).to.be.a('string').and.not.empty;
      expect(credentials.expiration.getTime()).to.be.greaterThan(Date.now());
    });
  });
});
