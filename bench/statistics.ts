/**
 * The benchmarks' arithmetic: percentiles (nearest rank), the mean, ratios and overheads, and one arm's
 * figures (throughput, latency, SQL statements and access-log rows per request) from what its timed
 * rounds recorded. Pure functions, unit-tested in test/bench-statistics.test.ts.
 */

/**
 * The p-th percentile (0-100) by the nearest-rank method: the smallest value such that at least p% of the
 * values are at or below it (the value at rank ceil(p/100 x n) of the sorted values; the least for p = 0).
 * NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(1, rank) - 1];
}

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** `measured / baseline`; NaN when the baseline is 0 (no figure to compare with). */
export function ratio(measured: number, baseline: number): number {
  return baseline === 0 ? NaN : measured / baseline;
}

/** The share of the baseline's throughput lost: `1 - measured / baseline` (negative when faster). */
export function overhead(measured: number, baseline: number): number {
  return 1 - ratio(measured, baseline);
}

/** What an arm's timed rounds recorded. */
export interface ArmSample {
  /** Each timed request's latency, ms (send to parsed body). */
  latencies: number[];
  /** Wall time of the arm's rounds, ms. */
  wallMs: number;
  /** SQL statements its DataSources ran during them. */
  statements: { core: number; clinical: number };
  /** Rows added to the clinical access log during them. */
  logRows: number;
}

export interface ArmStats {
  /** Timed requests. */
  n: number;
  /** Requests per second: `n` over the wall time of the arm's rounds. */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** SQL statements per request on the core and the clinical DataSources. */
  core: number;
  clinical: number;
  /** Rows added to the clinical access log per request. */
  logRows: number;
}

/** One arm's figures from its sample. */
export function armStats(sample: ArmSample): ArmStats {
  const n = sample.latencies.length;
  return {
    n,
    rps: ratio(n, sample.wallMs / 1000),
    p50: percentile(sample.latencies, 50),
    p99: percentile(sample.latencies, 99),
    mean: mean(sample.latencies),
    core: ratio(sample.statements.core, n),
    clinical: ratio(sample.statements.clinical, n),
    logRows: ratio(sample.logRows, n),
  };
}

/** Every arm's figures. */
export function armStatsOf<A extends string>(samples: Record<A, ArmSample>): Record<A, ArmStats> {
  return Object.fromEntries(Object.entries<ArmSample>(samples).map(([arm, sample]) => [arm, armStats(sample)])) as Record<A, ArmStats>;
}
