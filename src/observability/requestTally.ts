/** One labelled series of a tally: a count, a sum and a count per bucket. */
export class TallySeries {
  count = 0;
  sum = 0;
  readonly #bounds: readonly number[];
  /** Observations per bucket, not cumulative; the last one is above every bound (+Inf). */
  readonly perBucket: Float64Array;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    bounds: readonly number[],
  ) {
    this.#bounds = bounds;
    this.perBucket = new Float64Array(bounds.length + 1);
  }

  /** Count one observation of `value` (seconds). */
  observe(value: number): void {
    this.count++;
    this.sum += value;
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.perBucket[i] = (this.perBucket[i] ?? 0) + 1;
  }
}

/** A metric in the shape a prom-client Registry reads (what its own metrics' get() returns). */
interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
}

/**
 * Counts of the requests on the proxy's hot path, kept by hand and read by the registry only when
 * scraped: prom-client's own labelled metrics validate and hash their labels and allocate on every
 * increment, about 1 µs per request where this takes 0.06 (bench/optimisations.md). A series is
 * kept per pair of label values, found with two map look-ups; the registry reads the tally as a
 * counter (the count of each series) and as a histogram.
 */
export class RequestTally {
  readonly #series = new Map<string, Map<string, TallySeries>>();
  readonly #labelNames: readonly [string] | readonly [string, string];
  readonly #bounds: readonly number[];

  /** One or two label names; with one, every series' second value is ''. */
  constructor(
    labelNames: readonly [string] | readonly [string, string],
    bounds: readonly number[],
  ) {
    this.#labelNames = labelNames;
    this.#bounds = bounds;
  }

  /** The series for the label values `a` and `b`, created on first use. */
  series(a: string, b = ''): TallySeries {
    let byB = this.#series.get(a);
    if (!byB) {
      byB = new Map();
      this.#series.set(a, byB);
    }
    let series = byB.get(b);
    if (!series) {
      const [nameA, nameB] = this.#labelNames;
      series = new TallySeries(nameB ? { [nameA]: a, [nameB]: b } : { [nameA]: a }, this.#bounds);
      byB.set(b, series);
    }
    return series;
  }

  #all(): TallySeries[] {
    return [...this.#series.values()].flatMap((byB) => [...byB.values()]);
  }

  /** The counts as a counter a Registry can register (`registry.registerMetric`). */
  counter(name: string, help: string): { name: string; get(): MetricSnapshot; reset(): void } {
    return {
      name,
      get: () => ({
        name,
        help,
        type: 'counter',
        aggregator: 'sum',
        values: this.#all().map((s) => ({ labels: { ...s.labels }, value: s.count })),
      }),
      reset: () => {},
    };
  }

  /** The observations as a histogram a Registry can register (buckets, `_sum`, `_count`). */
  histogram(name: string, help: string): { name: string; get(): MetricSnapshot; reset(): void } {
    const bounds = this.#bounds;
    return {
      name,
      get: () => ({
        name,
        help,
        type: 'histogram',
        aggregator: 'sum',
        values: this.#all().flatMap((s) => {
          let cumulative = 0;
          const buckets = [...bounds, '+Inf' as const].map((le, i) => {
            cumulative += s.perBucket[i] ?? 0;
            return { labels: { ...s.labels, le }, value: cumulative, metricName: `${name}_bucket` };
          });
          return [
            ...buckets,
            { labels: { ...s.labels }, value: s.sum, metricName: `${name}_sum` },
            { labels: { ...s.labels }, value: s.count, metricName: `${name}_count` },
          ];
        }),
      }),
      reset: () => {},
    };
  }
}
