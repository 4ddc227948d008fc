import { ConfigError, environmentWithDotEnv, loadConfig } from '../../config.js';
import { startService } from '../../server/index.js';
import { UsageError } from '../usage.js';
import { configVariables } from '../../config.js';

export const serveHelp = `Usage: scribe-proxy serve

Run the signing proxy and the admin listener. Configuration comes from the environment and a
.env file in the working directory (the environment wins). Variables:
  ${configVariables.join('\n  ')}

See the README for what each one means.
`;

/** `scribe-proxy serve`: run until SIGTERM or SIGINT, then drain and exit 0. */
export async function serveCommand(argv: string[], print: (text: string) => void): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return print(serveHelp);
  if (argv.length > 0)
    throw new UsageError(`unexpected argument '${argv[0]}' (configure with environment variables)`);
  let config;
  try {
    config = loadConfig(environmentWithDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const service = await startService(config);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return; // a repeated signal must not cut the drain short
      stopping = true;
      service.logger.info({ event: 'shutdown', signal }, 'draining in-flight requests');
      void service.close(10_000).then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  service.logger.flush();
}
