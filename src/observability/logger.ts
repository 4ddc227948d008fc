import { pino, type Logger, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';
import type { PrettyOptions } from 'pino-pretty';
import { redactPaths } from './redact.js';

export type { Logger };

/**
 * pino-pretty, loaded only for LOG_FORMAT=pretty (a JSON logger, the sidecar's, never pays for
 * it); required, so that createLogger stays synchronous.
 */
function prettyStream(options: PrettyOptions): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as (
    options: PrettyOptions,
  ) => DestinationStream;
  return pretty(options);
}

/**
 * A logger that censors secrets by key wherever they appear in a log object: JSON lines, or with
 * `format: 'pretty'` human-readable lines (pino-pretty, in-process; colours only on a terminal).
 * Without a destination it writes stdout synchronously, as Node writes process.stdout to files
 * and pipes: an asynchronous write hands every batch of lines to libuv's pool and back, which cost
 * `serve` more per request than building the line (bench/optimisations.md), and lets lines pile
 * up in memory behind a slow reader.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  format: 'json' | 'pretty' = 'json',
): Logger {
  const out =
    format === 'pretty'
      ? prettyStream({
          destination: destination ?? 1,
          colorize: destination === undefined && process.stdout.isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service',
          sync: destination !== undefined,
        })
      : (destination ?? pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level,
      base: { service: 'scribe-proxy' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info", as most JSON log pipelines expect, not pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
    },
    out,
  );
}
