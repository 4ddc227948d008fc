import { requestLine, type Logger, type Metrics } from '../observability/index.js';
import type { RequestRecord } from '../proxy/index.js';

/**
 * What happens when a proxied request ends: one metric and one log line (written by requestLine,
 * which does not redact: a RequestRecord holds no secret by construction), and a warning when the
 * upstream's clock disagrees with ours.
 */
export function requestLog(logger: Logger, metrics: Metrics): (record: RequestRecord) => void {
  const line = requestLine(logger, 'request');
  const byStatus = new Map<number, { inc(): void }>();
  return (record) => {
    let counter = byStatus.get(record.status);
    if (!counter) {
      counter = metrics.requests.labels(String(record.status));
      byStatus.set(record.status, counter);
    }
    counter.inc();
    line(record);
    if (record.clockSkewS !== undefined) {
      line.flush();
      logger.warn(
        { event: 'clock-skew', requestId: record.requestId, skewS: record.clockSkewS },
        `the upstream refused a signature as expired: this machine's clock is about ${record.clockSkewS} s off; fix its time (NTP). Not replayed.`,
      );
    }
  };
}
