/**
 * The benchmarks' statistics (bench/statistics.ts): nearest-rank percentiles, the mean, ratios, overheads
 * and one arm's figures, against values worked out by hand (the percentile samples are the nearest-rank
 * examples of the usual textbook definition: the smallest value with at least p% of the values at or below it).
 */
import { armStats, armStatsOf, mean, overhead, percentile, ratio } from '../../../bench/statistics';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 x n) of five values', () => {
    const values = [15, 20, 35, 40, 50];
    // n = 5: p5 -> rank 1, p30 -> rank 2 (1.5 up), p40 -> rank 2, p50 -> rank 3 (2.5 up), p100 -> rank 5.
    expect(percentile(values, 5)).toBe(15);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
  });

  it('picks the value at rank ceil(p/100 x n) of ten values, in whatever order they come', () => {
    const values = [16, 3, 20, 8, 13, 6, 8, 15, 10, 7]; // sorted: 3 6 7 8 8 10 13 15 16 20
    expect(percentile(values, 25)).toBe(7); // rank 3 (2.5 up)
    expect(percentile(values, 50)).toBe(8); // rank 5
    expect(percentile(values, 75)).toBe(15); // rank 8 (7.5 up)
    expect(percentile(values, 100)).toBe(20);
    expect(values).toEqual([16, 3, 20, 8, 13, 6, 8, 15, 10, 7]); // the caller's array is left as it was
  });

  it('p99 of 1..100 is 99 and of 1..200 is 198; p0 is the least value', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    const twoHundred = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(twoHundred, 99)).toBe(198);
    expect(percentile(twoHundred, 50)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('is the value itself for one value, NaN for none, and refuses p outside 0..100', () => {
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
    expect(() => percentile([1, 2], -1)).toThrow(RangeError);
    expect(() => percentile([1, 2], NaN)).toThrow(RangeError);
  });

  it('compares numbers as numbers, not as text', () => {
    // As text, 100 < 25 < 9: the median would come out as 25 either way, the maximum would not.
    expect(percentile([9, 100, 25], 100)).toBe(100);
    expect(percentile([9, 100, 25], 1)).toBe(9);
  });
});

describe('mean, ratio, overhead', () => {
  it('mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([10])).toBe(10);
    expect(mean([0.5, 1.5, 4])).toBe(2);
    expect(mean([])).toBeNaN();
  });

  it('ratio is measured over baseline, NaN against a baseline of 0', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(72.12, 63.21)).toBeCloseTo(1.141, 3); // the README's bench:audit mean ratio
    expect(ratio(1, 0)).toBeNaN();
  });

  it('overhead is the share of the baseline lost, negative when faster', () => {
    expect(overhead(85, 100)).toBeCloseTo(0.15, 12);
    expect(overhead(204.4, 214.6)).toBeCloseTo(0.0475, 4); // the README's bench:authz example, 4.8%
    expect(overhead(110, 100)).toBeCloseTo(-0.1, 12);
    expect(overhead(100, 100)).toBe(0);
  });
});

describe('armStats', () => {
  const sample = { latencies: [30, 10, 40, 20], wallMs: 2000, statements: { core: 12, clinical: 8 }, logRows: 124 };

  it('throughput over the rounds\' wall time, latency percentiles and mean, statements and log rows per request', () => {
    expect(armStats(sample)).toEqual({
      n: 4,
      rps: 2, // 4 requests in 2 s
      p50: 20, // rank 2 of 10 20 30 40
      p99: 40, // rank 4
      mean: 25,
      core: 3,
      clinical: 2,
      logRows: 31,
    });
  });

  it('every arm of a record', () => {
    const other = { latencies: [5], wallMs: 500, statements: { core: 3, clinical: 1 }, logRows: 0 };
    const stats = armStatsOf({ on: sample, off: other });
    expect(Object.keys(stats).sort()).toEqual(['off', 'on']);
    expect(stats.on.rps).toBe(2);
    expect(stats.off).toEqual({ n: 1, rps: 2, p50: 5, p99: 5, mean: 5, core: 3, clinical: 1, logRows: 0 });
  });
});
