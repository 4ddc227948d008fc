import { pino, type Logger, type DestinationStream } from 'pino';
import { redactPaths } from './redact.js';

export type { Logger };

/** A JSON logger that censors secrets by key wherever they appear in a log object. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'scribe-proxy' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info", as most JSON log pipelines expect, not pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
