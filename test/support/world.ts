import { Writable } from 'node:stream';
import { isChallenge, ScribeAuth, type Tokens } from '../../src/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/index.js';
import { startService, type Service, type ServiceOptions } from '../../src/server/index.js';
import { CognitoLocal, type TestPool, type TokenLifetimes } from './cognitoLocal.js';
import { IdentityPoolEmulator } from './identityPoolEmulator.js';
import { registerSecret, registerLogLines } from './secretScan.js';
import { VerifyingUpstream } from './verifyingUpstream.js';

/** Log lines a service wrote, parsed, and their raw text. */
export class LogCapture {
  readonly lines: string[] = [];
  constructor() {
    registerLogLines(this.lines);
  }
  readonly stream = new Writable({
    write: (chunk: Buffer, _enc, callback) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  /** The request log records for `path`, waiting up to `ms` for one to appear. */
  async requests(path: string, ms = 2000): Promise<Array<Record<string, unknown>>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.records().filter((r) => r['msg'] === 'request' && r['path'] === path);
      if (found.length > 0 || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export const identityPoolId = 'eu-west-2:test-identity-pool';

/** cognito-local with a pool and a user, the identity-pool emulator and a verifying upstream. */
export class World {
  cognito!: CognitoLocal;
  pool!: TestPool;
  emulator!: IdentityPoolEmulator;
  upstream!: VerifyingUpstream;
  readonly services: Service[] = [];
  readonly username = 'proxy-user';
  readonly password = 'Proxy-Passw0rd!';

  static async start(
    options: {
      lifetimes?: TokenLifetimes;
      credentialSeconds?: number;
      mode?: 'sigv4' | 'bearer';
    } = {},
  ): Promise<World> {
    const world = new World();
    registerSecret(world.password);
    world.cognito = await CognitoLocal.start();
    world.pool = await world.cognito.createPool(options.lifetimes);
    await world.cognito.createUser(world.pool, world.username, world.password);
    world.emulator = await new IdentityPoolEmulator({
      identityPoolId,
      region: 'eu-west-2',
      userPoolId: world.pool.userPoolId,
      userPoolEndpoint: world.cognito.endpoint,
      clientIds: [world.pool.clientId],
      credentialSeconds: options.credentialSeconds ?? 3600,
    }).start();
    world.upstream = await new VerifyingUpstream(
      options.mode === 'bearer'
        ? { mode: 'bearer', checkBearer: (token) => world.isAccessToken(token) }
        : { mode: 'sigv4', resolve: (id) => world.emulator.lookup(id) },
    ).start();
    return world;
  }

  /** True when `token` is an access token cognito-local issued (checked against its JWKS). */
  async isAccessToken(token: string): Promise<boolean> {
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const jwks = createRemoteJWKSet(
      new URL(`${this.cognito.endpoint}/${this.pool.userPoolId}/.well-known/jwks.json`),
    );
    try {
      const { payload } = await jwtVerify(token, jwks);
      return payload['token_use'] === 'access';
    } catch {
      return false;
    }
  }

  /** This world's pools, their endpoints and its user: what a command needs to log in. */
  account(): Record<string, string> {
    return {
      SCRIBE_CLIENT_ID: this.pool.clientId,
      SCRIBE_USER_POOL_ID: this.pool.userPoolId,
      SCRIBE_IDENTITY_POOL_ID: identityPoolId,
      SCRIBE_COGNITO_ENDPOINT: this.cognito.endpoint,
      SCRIBE_IDENTITY_ENDPOINT: this.emulator.endpoint,
      SCRIBE_USERNAME: this.username,
      SCRIBE_PASSWORD: this.password,
    };
  }

  /** The configuration environment for a proxy in front of this world. */
  env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      SCRIBE_API_URL: `${this.upstream.url}/v1`,
      SCRIBE_AUTH_MODE: 'sigv4',
      ...this.account(),
      PROXY_PORT: '0',
      ADMIN_PORT: '0',
      LOG_LEVEL: 'info',
      ...overrides,
    };
  }

  /** Start a proxy with this world's env plus overrides; logs go to the returned capture. */
  async proxy(
    overrides: Record<string, string | undefined> = {},
    options: ServiceOptions = {},
  ): Promise<{ service: Service; config: Config; logs: LogCapture }> {
    const config = loadConfig(this.env(overrides));
    for (const secret of [
      config.password,
      config.refreshToken,
      config.adminToken,
      config.proxyClientToken,
    ]) {
      registerSecret(secret);
    }
    const logs = new LogCapture();
    const logger = createLogger('debug', logs.stream);
    const service = await startService(config, { logger, ...options });
    this.services.push(service);
    return { service, config, logs };
  }

  /** A ScribeAuth on this world's user pool and identity pool (the caller destroys it). */
  auth(): ScribeAuth {
    return new ScribeAuth({
      clientId: this.pool.clientId,
      userPoolId: this.pool.userPoolId,
      identityPoolId,
      endpoints: {
        cognitoIdentityProvider: this.cognito.endpoint,
        cognitoIdentity: this.emulator.endpoint,
      },
    });
  }

  /** Log in directly (not through a proxy). */
  async login(): Promise<Tokens> {
    const auth = new ScribeAuth({
      clientId: this.pool.clientId,
      endpoints: { cognitoIdentityProvider: this.cognito.endpoint },
    });
    try {
      const result = await auth.getTokens({ username: this.username, password: this.password });
      if (isChallenge(result)) throw new Error('unexpected challenge');
      registerSecret(result.refreshToken);
      return result;
    } finally {
      auth.destroy();
    }
  }

  async stop(): Promise<void> {
    for (const service of this.services.splice(0)) await service.close(1000);
    await this.upstream?.stop();
    await this.emulator?.stop();
    await this.cognito?.stop();
  }
}
