import { ConfigError, environmentWithDotEnv, loadConfig } from '../../config/index.js';
import { UsageError } from '../usage.js';
import { configHelp } from '../../config/problems.js';
import { serveArgumentProblem } from '../settingHint.js';

export const serveHelp = `Usage: scribe-proxy serve

Run the signing proxy and the admin listener. Configuration comes from the environment and a
.env file in the working directory (the environment wins). Variables:
${configHelp()}

docs/configuration.md has more on each; scribe-proxy check validates without starting.
`;

/** `scribe-proxy serve`: run until SIGTERM or SIGINT (also during the first login), drain, exit 0. */
export async function serveCommand(argv: string[], print: (text: string) => void): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return print(serveHelp);
  if (argv[0] !== undefined) throw new UsageError(serveArgumentProblem(argv[0]));
  let config;
  try {
    config = loadConfig(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  // The handlers go in before anything starts: a signal during the first login (Cognito slow or
  // hanging) must drain and exit 0 like any other. A repeated signal does not cut the drain short.
  const stopping = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (!stopping.signal.aborted) stopping.abort(signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // SIGHUP reloads the TLS files; before the listeners exist there is nothing to reload (and
  // the default action, ending the process, must not apply).
  let reloadTls = () => {};
  process.on('SIGHUP', () => reloadTls());
  // The server (express, pino, the Cognito clients) is loaded once the configuration is valid:
  // `serve --help` and a configuration error print at once.
  const { startService } = await import('../../server/index.js');
  const service = await startService(config, {
    startAbort: stopping.signal,
    onTlsReload: (reload) => (reloadTls = reload),
  }).catch((err: unknown) => {
    // A TLS file that changed for the worse between the check and the start.
    throw err instanceof ConfigError ? new UsageError(err.message) : err;
  });
  if (!stopping.signal.aborted) {
    await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve));
  }
  service.logger.info(
    { event: 'shutdown', signal: stopping.signal.reason as string, graceS: config.shutdownGraceS },
    'draining in-flight requests',
  );
  await service.close();
  service.logger.info({ event: 'stopped' }, 'scribe-proxy stopped');
  service.logger.flush();
}
