/**
 * Printing for `bench:load` and `bench:faults`: p50/p99 and errors per operation, resident memory per worker.
 */
import { percentile } from './statistics';
import { WorkloadResult } from './load-workload';

export function printOperations(result: WorkloadResult, seconds: number): void {
  console.log('operation          requests   req/s    p50 ms   p99 ms  errors');
  let total = 0;
  for (const [op, s] of result.stats) {
    const errors = [...s.errors].map(([code, n]) => `${code} ${n}`).join(', ') || '0';
    total += s.latencies.length;
    const p = (q: number): string => (s.latencies.length ? percentile(s.latencies, q).toFixed(1) : '-').padStart(8);
    console.log(`${op.padEnd(18)} ${String(s.latencies.length).padStart(8)} ${(s.latencies.length / seconds).toFixed(1).padStart(7)} ${p(50)} ${p(99)}  ${errors}`);
  }
  console.log(`all                ${String(total).padStart(8)} ${(total / seconds).toFixed(1).padStart(7)}   (timeouts: ${result.timeouts})`);
}

export function printRss(start: Map<number, number | null>, end: Map<number, number | null>): void {
  for (const pid of new Set([...start.keys(), ...end.keys()])) {
    const f = (v: number | null | undefined): string => (v == null ? 'gone' : `${v.toFixed(0)} MiB`);
    console.log(`worker ${pid}: RSS start ${f(start.get(pid))}, end ${f(end.get(pid))}`);
  }
}
