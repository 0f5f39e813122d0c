/**
 * The benchmarks' printing: number formats, the machine line, the per-arm table both benchmarks print
 * (throughput, latency, SQL statements and access-log rows per request) and a target's PASS/FAIL line.
 */
import os from 'node:os';
import { ArmStats } from './statistics';

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
export const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** The first line: CPUs and load average, which skew every arm's figures. */
export function printMachine(): void {
  const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`machine: ${os.cpus().length} CPUs, load average ${load} (other work on the machine skews all instances' figures)`);
}

/** The per-arm table: req/s, p50/p99/mean latency, SQL statements (core + clinical) and access-log rows per request. */
export function printArmTable<A extends string>(arms: readonly A[], labels: Record<A, string>, stats: Record<A, ArmStats>): void {
  const labelWidth = Math.max(...arms.map((arm) => labels[arm].length));
  console.log('');
  console.log(`${''.padEnd(labelWidth)}    req/s    p50 ms   p99 ms  mean ms   SQL/req (core + clinical)   access-log rows/req`);
  for (const arm of arms) {
    const s = stats[arm];
    console.log(
      `${labels[arm].padEnd(labelWidth)}  ${fmt(s.rps).padStart(7)}  ${fmt(s.p50, 2).padStart(8)} ${fmt(s.p99, 2).padStart(8)} ${fmt(s.mean, 2).padStart(8)}   ` +
      `${fmt(s.core + s.clinical, 2).padStart(6)} (${fmt(s.core, 2)} + ${fmt(s.clinical, 2)})`.padEnd(28) +
      `${fmt(s.logRows, 2).padStart(10)}`,
    );
  }
}

/** `PASS: text` or `FAIL: text`. */
export function printVerdict(met: boolean, text: string): void {
  console.log(`${met ? 'PASS' : 'FAIL'}: ${text}`);
}
