import { CognitoIdentityClient, CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { expect } from 'chai';
import { loadConfig } from '../../src/config/index.js';
import { ScribeAuth } from '../../src/index.js';
import { createLogger } from '../../src/observability/index.js';
import { startService, type Service } from '../../src/server/index.js';
import type { StartedProcess } from '../support/childProcess.js';
import { CountingRelay } from '../support/countingRelay.js';
import { call } from '../support/http.js';
import { registerSecret } from '../support/secretScan.js';
import { startMotoServer } from '../support/motoServer.js';
import { VerifyingUpstream } from '../support/verifyingUpstream.js';
import { LogCapture, World } from '../support/world.js';

describe("the proxy with moto_server's identity pool", function () {
  this.timeout(60_000);
  let world: World;
  let moto: StartedProcess;
  let upstream: VerifyingUpstream;
  let service: Service;
  let identityPoolId: string;

  before(async function () {
    world = await World.start();
    moto = await startMotoServer();
    const admin = new CognitoIdentityClient({
      endpoint: moto.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const created = await admin.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'scribe_proxy_test',
        AllowUnauthenticatedIdentities: false,
      }),
    );
    admin.destroy();
    identityPoolId = created.IdentityPoolId ?? '';
    // moto hands every identity the same credentials: learn them so the upstream can verify.
    const auth = new ScribeAuth({
      clientId: world.pool.clientId,
      userPoolId: world.pool.userPoolId,
      identityPoolId,
      endpoints: { cognitoIdentity: moto.url },
    });
    const tokens = await world.login();
    const id = await auth.getFederatedId(tokens.idToken);
    const known = await auth.getFederatedCredentials(id, tokens.idToken);
    auth.destroy();
    upstream = await new VerifyingUpstream({
      mode: 'sigv4',
      resolve: (accessKeyId) =>
        accessKeyId === known.accessKeyId
          ? { secretAccessKey: known.secretKey, sessionToken: known.sessionToken }
          : undefined,
    }).start();
    const config = loadConfig(
      world.env({
        SCRIBE_API_URL: `${upstream.url}/v1`,
        SCRIBE_IDENTITY_POOL_ID: identityPoolId,
        SCRIBE_IDENTITY_ENDPOINT: moto.url,
      }),
    );
    service = await startService(config, { logger: createLogger('warn', new LogCapture().stream) });
  });

  after(async function () {
    await service?.close(1000);
    await upstream?.stop();
    await moto?.stop();
    await world?.stop();
  });

  it('signs with moto-issued credentials that the upstream verifies', async function () {
    const answer = await call(service.proxyUrl, { method: 'POST', path: '/tasks?x=1', body: '{}' });
    expect(answer.status, answer.body.toString()).to.equal(200);
    expect(upstream.arrivals.at(-1)?.verdict.ok).to.equal(true);
    expect(service.session?.status().identityId).to.be.a('string');
  });

  it('per-client mode: five accounts interleaved, each logged in and federated once through moto', async function () {
    const accounts = Array.from({ length: 5 }, (_, i) => ({
      username: `moto-acct-${i}`,
      password: `Moto-Passw0rd-${i}!`,
    }));
    for (const { username, password } of accounts) {
      registerSecret(password);
      await world.cognito.createUser(world.pool, username, password);
    }
    const relay = await new CountingRelay(new URL(moto.url)).start();
    const config = loadConfig(
      world.env({
        SCRIBE_API_URL: `${upstream.url}/v1`,
        SCRIBE_IDENTITY_POOL_ID: identityPoolId,
        SCRIBE_IDENTITY_ENDPOINT: relay.url,
        SCRIBE_USERNAME: undefined,
        SCRIBE_PASSWORD: undefined,
        PROXY_SESSIONS: 'per-client',
      }),
    );
    const gateway = await startService(config, {
      logger: createLogger('warn', new LogCapture().stream),
    });
    try {
      const before = upstream.arrivals.length;
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const { username, password } = accounts[i % accounts.length]!;
          const login = Buffer.from(`${username}:${password}`).toString('base64');
          return call(gateway.proxyUrl, {
            path: `/who/${username}/${i}`,
            headers: { authorization: `Basic ${login}` },
          });
        }),
      );
      expect(answers.filter((a) => a.status !== 200).map((a) => a.status)).to.deep.equal([]);
      const arrivals = upstream.arrivals.slice(before);
      expect(arrivals).to.have.length(200);
      expect(arrivals.every((a) => a.verdict.ok)).to.equal(true);
      expect(relay.count('GetId')).to.equal(5);
      expect(relay.count('GetCredentialsForIdentity')).to.equal(5);
      expect(gateway.sessions?.size).to.equal(5);
    } finally {
      await gateway.close(1000);
      await relay.stop();
    }
  });
});
