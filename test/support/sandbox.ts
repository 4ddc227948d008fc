import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/index.js';
import { startService, type Service } from '../../src/server/index.js';
import { ChallengeAnswerRelay } from './challengeAnswerRelay.js';
import { CognitoLocal } from './cognitoLocal.js';
import { IdentityPoolEmulator } from './identityPoolEmulator.js';
import { VerifyingUpstream } from './verifyingUpstream.js';

export interface SandboxOptions {
  host: string;
  port: number;
  adminPort: number;
  mode: 'sigv4' | 'bearer';
  temporaryPassword: boolean;
  /** shared: one account held by the proxy; per-client: a gateway, three users send their own. */
  sessions: 'shared' | 'per-client';
  logLevel: string;
  /** Serve both listeners over HTTPS with a throwaway CA made in a temp folder. */
  tls?: boolean;
  /** Where progress lines go. */
  progress: (line: string) => void;
}

/** The whole flow on loopback: a user pool, an identity pool, a verifying API and the proxy. */
export interface Sandbox {
  service: Service;
  /** The shared account, or (per-client) the first of `users`. */
  username: string;
  password: string;
  /** Every sandbox user: one in shared mode, three in per-client mode. */
  users: Array<{ username: string; password: string }>;
  /** What cognito-local sends as every confirmation code (a password reset's, for one). */
  resetCode: string;
  /** The settings a CLI command or a second proxy needs to use the sandbox's pools and API. */
  env: Record<string, string>;
  adminToken: string;
  dataDir: string;
  cognitoPid: number | undefined;
  /** With `tls`: the throwaway CA's certificate, for `curl --cacert`. */
  caFile: string | undefined;
  stop(): Promise<void>;
}

const identityPoolId = 'eu-west-2:sandbox-identity-pool';

/** Start everything, one progress line per step; stop() undoes all of it. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const undo of stops.splice(0).reverse()) await undo().catch(() => undefined);
  };
  try {
    const resetCode = '123456';
    const cognito = await CognitoLocal.start({ code: resetCode });
    stops.push(() => cognito.stop());
    options.progress(
      `cognito-local (a Cognito user pool) on ${cognito.endpoint}, data in ${cognito.dataDir}`,
    );

    const pool = await cognito.createPool({}, 'scribe-sandbox');
    // Clients reach the pool through a relay that keeps the refresh token of a login through a
    // challenge (a new password, an MFA code) usable, as Cognito does and cognito-local does not.
    const relay = await new ChallengeAnswerRelay(new URL(cognito.endpoint)).start();
    stops.push(() => relay.stop());
    options.progress(
      `user pool endpoint ${relay.url} (SCRIBE_COGNITO_ENDPOINT): a relay in front of cognito-local, used by the proxy, the CLI and the library`,
    );
    const cognitoEndpoint = relay.url;
    const perClient = options.sessions === 'per-client';
    const names = perClient ? ['ada', 'grace', 'alan'] : ['sandbox-user'];
    const users = names.map((username) => ({
      username,
      password: `Sandbox-${randomBytes(6).toString('hex')}-1a!`,
    }));
    for (const user of users) {
      await cognito.createUser(pool, user.username, user.password, {
        temporary: options.temporaryPassword,
      });
    }
    const [{ username, password }] = users as [{ username: string; password: string }];
    options.progress(
      `user pool ${pool.userPoolId}, app client ${pool.clientId}, ${perClient ? 'users' : 'user'} ${names.join(', ')}` +
        (options.temporaryPassword ? ' (temporary password: must be changed at first login)' : ''),
    );

    const emulator = await new IdentityPoolEmulator({
      identityPoolId,
      region: 'eu-west-2',
      userPoolId: pool.userPoolId,
      userPoolEndpoint: cognito.endpoint,
      clientIds: [pool.clientId],
    }).start();
    stops.push(() => emulator.stop());
    options.progress(`identity pool ${identityPoolId} on ${emulator.endpoint}`);

    const upstream = await new VerifyingUpstream(
      options.mode === 'sigv4'
        ? { mode: 'sigv4', resolve: (id) => emulator.lookup(id) }
        : { mode: 'bearer', checkBearer: (token) => token.split('.').length === 3 },
    ).start();
    stops.push(() => upstream.stop());
    options.progress(
      `echo API (checks every ${options.mode} request) on ${upstream.url}/${options.mode === 'sigv4' ? 'v1' : 'v2'}`,
    );

    const tls = options.tls ? await throwawayTls(options.host) : undefined;
    if (tls) {
      stops.push(() => rm(tls.dir, { recursive: true, force: true }));
      options.progress(`a throwaway CA and a certificate for localhost in ${tls.dir}`);
    }

    const adminToken = randomBytes(18).toString('base64url');
    const env: Record<string, string> = {
      SCRIBE_API_URL: `${upstream.url}/${options.mode === 'sigv4' ? 'v1' : 'v2'}`,
      SCRIBE_AUTH_MODE: options.mode,
      SCRIBE_CLIENT_ID: pool.clientId,
      SCRIBE_USER_POOL_ID: pool.userPoolId,
      ...(options.mode === 'sigv4' ? { SCRIBE_IDENTITY_POOL_ID: identityPoolId } : {}),
      SCRIBE_COGNITO_ENDPOINT: cognitoEndpoint,
      SCRIBE_IDENTITY_ENDPOINT: emulator.endpoint,
    };
    const config = loadConfig({
      ...env,
      SCRIBE_USERNAME: perClient ? undefined : username,
      SCRIBE_PASSWORD: perClient ? undefined : password,
      PROXY_SESSIONS: options.sessions,
      PROXY_HOST: options.host,
      PROXY_PORT: String(options.port),
      ADMIN_HOST: options.host,
      ADMIN_PORT: String(options.adminPort),
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: options.logLevel,
      ...tls?.env,
    });
    const service = await startService(config, { logger: createLogger(options.logLevel) });
    stops.push(() => service.close(2000));
    options.progress(
      `scribe-proxy (${options.mode}, ${options.sessions}) on ${service.proxyUrl}, admin on ${service.adminUrl}` +
        (service.session ? `: session ${service.session.state}` : ''),
    );
    return {
      service,
      username,
      password,
      users,
      resetCode,
      env,
      adminToken,
      dataDir: cognito.dataDir,
      cognitoPid: cognito.pid,
      caFile: tls?.caFile,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A CA and a server certificate (localhost, 127.0.0.1, and `host`) in a fresh temp folder. */
async function throwawayTls(host: string) {
  const dir = await mkdtemp(join(tmpdir(), 'scribe-sandbox-tls-'));
  // Loaded for --tls alone: the certificate library costs a second of every sandbox's start.
  const { createTestCa } = await import('./certificates.js');
  const ca = await createTestCa('scribe-proxy sandbox CA (throwaway)');
  const extra = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? [] : [host];
  const pair = await ca.server({ hosts: extra });
  const file = (name: string) => join(dir, name);
  await writeFile(file('ca.crt'), ca.cert);
  await writeFile(file('tls.crt'), pair.cert);
  await writeFile(file('tls.key'), pair.key, { mode: 0o600 });
  return {
    dir,
    caFile: file('ca.crt'),
    env: {
      PROXY_TLS_CERT_FILE: file('tls.crt'),
      PROXY_TLS_KEY_FILE: file('tls.key'),
      ADMIN_TLS_CERT_FILE: file('tls.crt'),
      ADMIN_TLS_KEY_FILE: file('tls.key'),
    },
  };
}
