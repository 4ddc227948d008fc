/** One minute of what happened: how many times each label was seen, and latency sums. */
export interface MinuteBucket {
  /** The minute's start, ms since the epoch. */
  startMs: number;
  total: number;
  byLabel: Record<string, number>;
  latencyMsSum: number;
  latencyMsMax: number;
}

const minuteMs = 60_000;

/**
 * The last hour, one bucket a minute, in a ring that never grows: the console's traffic chart and
 * its login outcomes read it (Prometheus keeps the long history; this only has to fill a page).
 */
export class RecentMinutes {
  readonly #buckets: Array<MinuteBucket | undefined>;
  readonly #now: () => number;

  constructor(options: { minutes?: number; now?: () => number } = {}) {
    this.#buckets = new Array<MinuteBucket | undefined>(options.minutes ?? 60).fill(undefined);
    this.#now = options.now ?? (() => Date.now());
  }

  /** Count one event under `label` (a status class, an error code, a login outcome). */
  record(label: string, latencyMs?: number): void {
    const startMs = Math.floor(this.#now() / minuteMs) * minuteMs;
    const slot = Math.floor(startMs / minuteMs) % this.#buckets.length;
    let bucket = this.#buckets[slot];
    if (!bucket || bucket.startMs !== startMs) {
      bucket = { startMs, total: 0, byLabel: {}, latencyMsSum: 0, latencyMsMax: 0 };
      this.#buckets[slot] = bucket;
    }
    bucket.total++;
    bucket.byLabel[label] = (bucket.byLabel[label] ?? 0) + 1;
    if (latencyMs !== undefined) {
      bucket.latencyMsSum += latencyMs;
      bucket.latencyMsMax = Math.max(bucket.latencyMsMax, latencyMs);
    }
  }

  /** Every minute of the window, oldest first, empty minutes included (copies). */
  minutes(): MinuteBucket[] {
    const size = this.#buckets.length;
    const nowStart = Math.floor(this.#now() / minuteMs) * minuteMs;
    const out: MinuteBucket[] = [];
    for (let back = size - 1; back >= 0; back--) {
      const startMs = nowStart - back * minuteMs;
      const bucket = this.#buckets[Math.floor(startMs / minuteMs) % size];
      out.push(
        bucket && bucket.startMs === startMs
          ? { ...bucket, byLabel: { ...bucket.byLabel } }
          : { startMs, total: 0, byLabel: {}, latencyMsSum: 0, latencyMsMax: 0 },
      );
    }
    return out;
  }
}
