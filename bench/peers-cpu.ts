/**
 * `npm run bench:peers`' server CPU: a process's user + system CPU time from `/proc/<pid>/stat` (all its
 * threads: event loop, GC, libuv pool), and the CPU per request of an arm's rounds. The parsing and the
 * arithmetic are pure, unit-tested in test/unit/bench/peers-cpu.test.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** utime + stime of a `/proc/<pid>/stat` line, in clock ticks (fields 14 and 15; the name in parentheses may hold spaces). */
export function cpuTicksOf(stat: string): number {
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line');
  // After "pid (comm) " come the fields from 3 (state) on: utime is field 14, stime field 15.
  const fields = stat.slice(close + 2).trim().split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('no utime/stime in the /proc/<pid>/stat line');
  return utime + stime;
}

/** CPU milliseconds per request from a tick count, the clock's ticks per second and the requests served. */
export function cpuMsPerRequest(ticks: number, ticksPerSecond: number, requests: number): number {
  return requests === 0 ? NaN : (ticks * 1000) / ticksPerSecond / requests;
}

let clockTicks: number | null = null;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux unless told otherwise). */
export function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The CPU ticks process `pid` has used so far. */
export function processCpuTicks(pid: number): number {
  return cpuTicksOf(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
