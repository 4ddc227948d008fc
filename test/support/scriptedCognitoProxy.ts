import { startProcess, type StartedProcess } from './childProcess.js';
import { cliBin } from './cli.js';
import { ScriptedCognito, type ScriptedCognitoOptions } from './scriptedCognitoServer.js';
import { VerifyingUpstream } from './verifyingUpstream.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `scribe-proxy serve` as a user runs it, with the scripted Cognito and a verifying upstream. */
export interface ScriptedProxy {
  cognito: ScriptedCognito;
  upstream: VerifyingUpstream;
  process: StartedProcess;
  proxyUrl: string;
  adminUrl: string;
  /** The proxy's JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** Poll until `test()` holds (at most `timeoutMs`); false if it never did. */
  until(test: () => boolean, timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export const scriptedUser = { name: 'ann', password: 'Ann-Passw0rd!' };

/**
 * Start a scripted Cognito (with `scriptedUser`), a verifying upstream, and `scribe-proxy serve`
 * (a child process) configured for them plus `env`. Shared mode logs in as `scriptedUser`.
 */
export async function startScriptedProxy(
  env: Record<string, string | undefined> = {},
  options: ScriptedCognitoOptions & { mode?: 'sigv4' | 'bearer' } = {},
): Promise<ScriptedProxy> {
  const mode = options.mode ?? 'sigv4';
  const cognito = await new ScriptedCognito(options).start();
  cognito.addUser(scriptedUser.name, scriptedUser.password);
  const upstream = await new VerifyingUpstream(
    mode === 'bearer'
      ? { mode, checkBearer: (token) => cognito.isAccessToken(token) }
      : { mode, resolve: (id) => cognito.lookup(id) },
  ).start();
  let started: StartedProcess;
  try {
    started = await startProcess(process.execPath, [cliBin, 'serve'], {
      name: 'scribe-proxy serve',
      ready: /"event":"listening".*?"admin":"(https?:[^"]+)"/,
      env: defined({
        PATH: process.env['PATH'] ?? '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        SCRIBE_API_URL: `${upstream.url}/v1`,
        SCRIBE_AUTH_MODE: mode,
        SCRIBE_CLIENT_ID: 'scripted-client',
        SCRIBE_USER_POOL_ID: 'eu-west-2_scripted',
        SCRIBE_IDENTITY_POOL_ID: 'eu-west-2:00000000-0000-0000-0000-000000000000',
        SCRIBE_USERNAME: scriptedUser.name,
        SCRIBE_PASSWORD: scriptedUser.password,
        SCRIBE_COGNITO_ENDPOINT: cognito.url,
        SCRIBE_IDENTITY_ENDPOINT: cognito.url,
        PROXY_PORT: '0',
        ADMIN_PORT: '0',
        ...env,
      }),
    });
  } catch (err) {
    await upstream.stop();
    await cognito.stop();
    throw err;
  }
  const logs = () =>
    started
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const listening = logs().find((l) => l['event'] === 'listening') ?? {};
  return {
    cognito,
    upstream,
    process: started,
    proxyUrl: String(listening['proxy']),
    adminUrl: String(listening['admin']),
    logs,
    async until(test, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!test()) {
        if (Date.now() > deadline) return false;
        await sleep(50);
      }
      return true;
    },
    async stop() {
      await started.stop();
      await upstream.stop();
      await cognito.stop();
    },
  };
}

function defined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}
