import { helpText, parseOptions, type OptionSpec } from '../options.js';
import { UsageError } from '../usage.js';
import { sandboxBanner } from './sandboxBanner.js';
import { packageRoot } from '../../version.js';

const specs: OptionSpec[] = [
  { flag: 'host', help: 'listen address (default 127.0.0.1; 0.0.0.0 only inside a container)' },
  { flag: 'port', help: 'proxy port (default 8080; 0 for any free port)' },
  { flag: 'admin-port', help: 'admin port (default 8081; 0 for any free port)' },
  { flag: 'mode', help: 'sigv4 (Scribe API v1, default) or bearer (v2)' },
  {
    flag: 'sessions',
    help: 'shared (one account, default) or per-client (a gateway with three users)',
  },
  { flag: 'temporary-password', boolean: true, help: 'start the user with a temporary password' },
  {
    flag: 'tls',
    boolean: true,
    help: 'serve HTTPS with a throwaway CA made in the temp dir (curl --cacert)',
  },
  { flag: 'log-level', help: 'proxy log level (default info: one line per request)' },
];

export const sandboxHelp = helpText(
  'Usage: scribe-proxy sandbox [--mode sigv4|bearer] [--sessions shared|per-client] [--temporary-password] [--tls]',
  'Run the whole flow on this machine with no account: a Cognito user pool (cognito-local), an\nidentity pool, an API that verifies every signature, and the proxy in front. Loopback only.\nCtrl-C stops everything and removes its data. Runs from a source checkout (npm run sandbox).',
  specs,
);

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--${name} must be a port number`);
  return n;
}

/** `scribe-proxy sandbox`: everything on loopback, with curl commands to try. */
export async function sandboxCommand(argv: string[], print: (text: string) => void): Promise<void> {
  const values = parseOptions(argv, specs, {});
  if (values['help']) return print(sandboxHelp);
  const mode = values['mode'] ?? 'sigv4';
  if (mode !== 'sigv4' && mode !== 'bearer') throw new UsageError('--mode must be sigv4 or bearer');
  const sessions = values['sessions'] ?? 'shared';
  if (sessions !== 'shared' && sessions !== 'per-client') {
    throw new UsageError('--sessions must be shared or per-client');
  }
  // The sandbox reuses the test servers, which only a source checkout has (not the npm package).
  const modulePath = new URL('dist/test/support/sandbox.js', packageRoot).href;
  let sandboxModule: typeof import('../../../test/support/sandbox.js');
  try {
    sandboxModule = (await import(modulePath)) as typeof sandboxModule;
  } catch (err) {
    // Missing test servers or dev dependencies; any other failure is a bug to show as it is.
    if ((err as { code?: unknown })?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new UsageError(
      'the sandbox needs a source checkout with dev dependencies: git clone, npm install, npm run sandbox',
    );
  }
  const started = Date.now();
  const sandbox = await sandboxModule.startSandbox({
    host: values['host'] ?? '127.0.0.1',
    port: port(values['port'], 8080, 'port'),
    adminPort: port(values['admin-port'], 8081, 'admin-port'),
    mode,
    temporaryPassword: values['temporary-password'] === 'true',
    sessions,
    tls: values['tls'] === 'true',
    logLevel: values['log-level'] ?? 'info',
    progress: (line) => print(`✓ ${line}`),
  });
  print(
    sandboxBanner(sandbox, {
      seconds: (Date.now() - started) / 1000,
      mode,
      firstLogin: values['temporary-password'] === 'true',
    }),
  );
  await new Promise<void>((resolve) => {
    // Handlers stay installed: a terminal's Ctrl-C often arrives twice (to the process group,
    // and forwarded again by npm), and a second default SIGINT would kill the cleanup.
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      print('Stopping the sandbox...');
      void sandbox.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print('Sandbox stopped; its data is removed.');
}
