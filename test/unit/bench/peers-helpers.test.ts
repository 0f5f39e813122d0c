/**
 * bench:peers' pure helpers: the CPU time of a /proc/<pid>/stat line and per request (bench/peers-cpu.ts), the
 * settings from flags and BENCH_* variables (bench/peers-settings.ts), and one arm's figures (bench/peers-stats.ts).
 * Oracles are written out by hand from proc(5) and the settings' documentation.
 */
import { cpuMsPerRequest, cpuTicksOf } from '../../../bench/peers-cpu';
import { readPeerSettings } from '../../../bench/peers-settings';
import { peerStats } from '../../../bench/peers-stats';

describe('bench:peers CPU from /proc/<pid>/stat', () => {
  // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
  const line = (comm: string, utime: number, stime: number): string =>
    `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1500 0 3 0 ${utime} ${stime} 0 0 20 0 11 0 1234 1000000 5000 18446744073709551615\n`;

  it('adds utime and stime (fields 14 and 15)', () => {
    expect(cpuTicksOf(line('node', 1234, 56))).toBe(1290);
  });

  it('is not misled by spaces or parentheses in the command name', () => {
    expect(cpuTicksOf(line('MainThread) x (y', 7, 3))).toBe(10);
  });

  it('refuses what is not a stat line', () => {
    expect(() => cpuTicksOf('garbage')).toThrow();
    expect(() => cpuTicksOf('1 (node) S 1')).toThrow();
  });

  it('turns ticks into milliseconds per request', () => {
    expect(cpuMsPerRequest(150, 100, 300)).toBeCloseTo(5); // 1.5 s of CPU over 300 requests
    expect(cpuMsPerRequest(10, 100, 0)).toBeNaN();
  });
});

describe('bench:peers settings', () => {
  it('defaults to 3 rounds of 10 s at concurrency 4 and 16, 3 s of warm-up', () => {
    expect(readPeerSettings([], {})).toEqual({ seconds: 10, rounds: 3, concurrencies: [4, 16], warmupSeconds: 3 });
  });

  it('reads the BENCH_* variables, and a flag wins over its variable', () => {
    const env = { BENCH_DURATION: '5', BENCH_ROUNDS: '2', BENCH_CONCURRENCY: '8', BENCH_WARMUP: '1' };
    expect(readPeerSettings([], env)).toEqual({ seconds: 5, rounds: 2, concurrencies: [8], warmupSeconds: 1 });
    expect(readPeerSettings(['--duration', '2', '--concurrency=4,32', '--rounds=1'], env))
      .toEqual({ seconds: 2, rounds: 1, concurrencies: [4, 32], warmupSeconds: 1 });
  });

  it('refuses a value that is not a positive integer', () => {
    expect(() => readPeerSettings(['--duration', '0'], {})).toThrow(/duration/);
    expect(() => readPeerSettings([], { BENCH_ROUNDS: 'two' })).toThrow(/BENCH_ROUNDS/);
    expect(() => readPeerSettings(['--concurrency', '4,x'], {})).toThrow(/concurrency/);
    expect(() => readPeerSettings(['--duration', '2,3'], {})).toThrow(/one positive integer/);
  });
});

describe('bench:peers figures of one arm', () => {
  it('computes throughput, nearest-rank percentiles, CPU, SQL and size per request', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    const stats = peerStats({ latencies, wallMs: 4000, cpuTicks: 50, statements: 300, bytes: 6_500_000 }, 100);
    expect(stats).toEqual({ n: 100, rps: 25, p50: 50, p99: 99, cpuMs: 5, sql: 3, kb: 65 });
  });
});
