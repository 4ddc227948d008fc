import { requestLine, type Logger, type Metrics } from '../observability/index.js';
import type { RequestRecord } from '../proxy/index.js';

/**
 * What happens when a proxied request ends: its metrics (counted in its method and status code's
 * series, with its duration; and a count in the console's last hour),
 * one log line (written by requestLine, which does not redact: a RequestRecord holds no secret by
 * construction), and a warning when the upstream's clock disagrees with ours (the proxy then signs
 * on the upstream's clock).
 */
export function requestLog(logger: Logger, metrics: Metrics): (record: RequestRecord) => void {
  const line = requestLine(logger, 'request');
  return (record) => {
    metrics.requestSeries(record.method, record.status).observe(record.latencyMs / 1000);
    metrics.recentRequests.record(record.error ?? String(record.status), record.latencyMs);
    line(record);
    if (record.clockSkewS !== undefined) {
      line.flush();
      const adopted = Number.isFinite(record.clockSkewS);
      logger.warn(
        { event: 'clock-skew', requestId: record.requestId, skewS: record.clockSkewS },
        adopted
          ? `the upstream refused a signature as outside its 5 minutes: this machine's clock is about ${record.clockSkewS} s behind the gateway's; requests are now signed on the gateway's clock (this one was sent again); fix this machine's time (NTP)`
          : "the upstream refused a signature as outside its 5 minutes, but its clock is unreadable or a day or more away: not adopted, this request was not sent again; check this machine's time (NTP)",
      );
    }
  };
}
