/**
 * `npm run bench:peers`' figures of one arm at one concurrency, from what its rounds recorded
 * (bench/peers-load.ts): throughput, p50 / p99 latency (nearest rank, bench/statistics.ts), server CPU and SQL
 * statements per request, response size. Pure, unit-tested in test/unit/bench/peers-helpers.test.ts.
 */
import { cpuMsPerRequest } from './peers-cpu';
import { percentile, ratio } from './statistics';

/** What an arm's rounds recorded, summed over them. */
export interface PeerSample {
  /** Each response's latency, ms. */
  latencies: number[];
  /** Wall time of the arm's rounds, ms. */
  wallMs: number;
  /** CPU clock ticks its server process used during them (user + system, all threads). */
  cpuTicks: number;
  /** SQL statements its server process ran during them. */
  statements: number;
  /** Response bytes received (headers included). */
  bytes: number;
}

export const emptySample = (): PeerSample => ({ latencies: [], wallMs: 0, cpuTicks: 0, statements: 0, bytes: 0 });

export interface PeerStats {
  n: number;
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU milliseconds per request. */
  cpuMs: number;
  /** SQL statements per request. */
  sql: number;
  /** Kilobytes (1,000 bytes) per response. */
  kb: number;
}

export function peerStats(sample: PeerSample, ticksPerSecond: number): PeerStats {
  const n = sample.latencies.length;
  return {
    n,
    rps: ratio(n, sample.wallMs / 1000),
    p50: percentile(sample.latencies, 50),
    p99: percentile(sample.latencies, 99),
    cpuMs: cpuMsPerRequest(sample.cpuTicks, ticksPerSecond, n),
    sql: ratio(sample.statements, n),
    kb: ratio(sample.bytes, n) / 1000,
  };
}
