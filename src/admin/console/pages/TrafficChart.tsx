/** One minute of proxied requests, as the service's ring buffer keeps it. */
export interface MinuteCounts {
  startMs: number;
  total: number;
  /** By status (`"200"`) or by the proxy's error code (`"no_session"`). */
  byLabel: Record<string, number>;
  latencyMsSum: number;
  latencyMsMax: number;
}

/** A label that counts as an error: a 4xx/5xx status or one of the proxy's error codes. */
export function isErrorLabel(label: string): boolean {
  const status = Number(label);
  return Number.isNaN(status) || status >= 400;
}

/** Requests, errors by code and latency over the window. */
export function summarize(minutes: MinuteCounts[]) {
  let total = 0;
  let latencySum = 0;
  let latencyMax = 0;
  const errors = new Map<string, number>();
  for (const minute of minutes) {
    total += minute.total;
    latencySum += minute.latencyMsSum;
    latencyMax = Math.max(latencyMax, minute.latencyMsMax);
    for (const [label, count] of Object.entries(minute.byLabel)) {
      if (isErrorLabel(label)) errors.set(label, (errors.get(label) ?? 0) + count);
    }
  }
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  return {
    total,
    errorCount,
    errors: [...errors.entries()].sort((a, b) => b[1] - a[1]),
    meanLatencyMs: total > 0 ? latencySum / total : undefined,
    maxLatencyMs: total > 0 ? latencyMax : undefined,
  };
}

const width = 720;
const height = 170;
const left = 40;
const bottom = 24;
const top = 10;

/** Requests per minute over the last hour as stacked bars (errors in red), drawn on the server. */
export function TrafficChart(props: { minutes: MinuteCounts[]; label: string }) {
  const { minutes } = props;
  const peak = Math.max(1, ...minutes.map((m) => m.total));
  const plotH = height - bottom - top;
  const slot = (width - left - 8) / Math.max(1, minutes.length);
  const y = (count: number) => (count / peak) * plotH;
  const summary = summarize(minutes);
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${props.label}: ${summary.total} requests, ${summary.errorCount} errors in the last ${minutes.length} minutes; at most ${peak} in one minute`}
      >
        <line class="grid" x1={left} x2={width - 4} y1={top} y2={top} />
        <line class="grid" x1={left} x2={width - 4} y1={top + plotH / 2} y2={top + plotH / 2} />
        <line class="axis" x1={left} x2={width - 4} y1={top + plotH} y2={top + plotH} />
        <text x={left - 6} y={top + 4} text-anchor="end">
          {peak}
        </text>
        <text x={left - 6} y={top + plotH + 4} text-anchor="end">
          0
        </text>
        {minutes.map((minute, i) => {
          const errors = Object.entries(minute.byLabel)
            .filter(([label]) => isErrorLabel(label))
            .reduce((sum, [, count]) => sum + count, 0);
          const x = left + i * slot + 1;
          const barW = Math.max(1, slot - 2);
          const okH = y(minute.total - errors);
          const errH = y(errors);
          return (
            <g key={minute.startMs}>
              {okH > 0 && <rect class="ok" x={x} y={top + plotH - okH} width={barW} height={okH} />}
              {errH > 0 && (
                <rect class="err" x={x} y={top + plotH - okH - errH} width={barW} height={errH} />
              )}
            </g>
          );
        })}
        <text x={left} y={height - 6}>
          {minutes.length} min ago
        </text>
        <text x={width - 4} y={height - 6} text-anchor="end">
          now
        </text>
      </svg>
      <ul class="legend" aria-hidden="true">
        <li>
          <span class="sw ok" />
          answered
        </li>
        <li>
          <span class="sw err" />
          errors
        </li>
      </ul>
    </figure>
  );
}
