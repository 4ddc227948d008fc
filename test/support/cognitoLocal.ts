import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type StartedProcess } from './childProcess.js';

const require = createRequire(import.meta.url);

/** Token lifetimes for a test app client, in seconds. */
export interface TokenLifetimes {
  accessSeconds?: number;
  idSeconds?: number;
  refreshSeconds?: number;
}

/** A user pool with one app client, created on cognito-local. */
export interface TestPool {
  userPoolId: string;
  clientId: string;
}

/** cognito-local, a real Cognito user pool over HTTP, running in a fresh temp dir. */
export class CognitoLocal {
  readonly endpoint: string;
  readonly admin: CognitoIdentityProviderClient;
  readonly dataDir: string;
  readonly #process: StartedProcess;

  private constructor(process: StartedProcess, dataDir: string) {
    this.#process = process;
    this.dataDir = dataDir;
    this.endpoint = process.url;
    this.admin = new CognitoIdentityProviderClient({
      endpoint: this.endpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }

  /** Start cognito-local on a free loopback port; `code` fixes every confirmation code. */
  static async start(options: { code?: string } = {}): Promise<CognitoLocal> {
    const dataDir = await mkdtemp(join(tmpdir(), 'scribe-cognito-'));
    await mkdir(join(dataDir, '.cognito'));
    await writeFile(
      join(dataDir, '.cognito', 'config.json'),
      JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }),
    );
    const script = require.resolve('cognito-local/lib/bin/start.js');
    const started = await startProcess(process.execPath, [script], {
      name: 'cognito-local',
      cwd: dataDir,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        CODE: options.code ?? '123456',
        FORCE_COLOR: '0',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      ready: /Cognito Local running on (http:\/\/[0-9.]+:\d+)/,
    });
    return new CognitoLocal(started, dataDir);
  }

  /** The cognito-local process id. */
  get pid(): number | undefined {
    return this.#process.child.pid;
  }

  /** Create a pool (MFA optional, so TOTP can be enrolled) and an app client. */
  async createPool(lifetimes: TokenLifetimes = {}, name = 'scribe-test'): Promise<TestPool> {
    const pool = await this.admin.send(
      new CreateUserPoolCommand({ PoolName: name, MfaConfiguration: 'OPTIONAL' }),
    );
    const userPoolId = pool.UserPool?.Id;
    if (!userPoolId) throw new Error('cognito-local created no pool');
    const client = await this.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: `${name}-client`,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
        AccessTokenValidity: lifetimes.accessSeconds ?? 3600,
        IdTokenValidity: lifetimes.idSeconds ?? 3600,
        RefreshTokenValidity: lifetimes.refreshSeconds ?? 86400,
        TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'seconds' },
      }),
    );
    const clientId = client.UserPoolClient?.ClientId;
    if (!clientId) throw new Error('cognito-local created no app client');
    return { userPoolId, clientId };
  }

  /** Create a user; with `temporary` it must change its password at first login. */
  async createUser(
    pool: TestPool,
    username: string,
    password: string,
    options: { temporary?: boolean; email?: string } = {},
  ): Promise<void> {
    await this.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: username,
        TemporaryPassword: password,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: options.email ?? `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    if (!options.temporary) {
      await this.admin.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.userPoolId,
          Username: username,
          Password: password,
          Permanent: true,
        }),
      );
    }
  }

  /** Stop the server and remove its data. */
  async stop(): Promise<void> {
    this.admin.destroy();
    await this.#process.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
