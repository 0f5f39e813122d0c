/**
 * `npm run bench:load`: the server as `npm start` runs it (cluster, WEB_CONCURRENCY workers, default 2 here
 * as on these machines) on a throw-away embedded PostgreSQL, 50 concurrent clients (`--clients`) for 60 s
 * (`--duration 600` for ten minutes) on the mixed workload of bench/load-workload.ts. Prints p50/p99 and
 * errors per operation, then checks nothing was lost (bench/load-checks.ts) and that no worker's resident
 * memory grew (end within 1.25x, or +64 MiB, of its highest RSS in the first quarter of the timed run). Exit 1 on a failed check.
 */
import 'reflect-metadata';
import os from 'node:os';
import { benchMain } from './harness';
import { checkNothingLost } from './load-checks';
import { printOperations, printRss } from './load-report';
import { rssMiB, startLoadStack } from './load-stack';
import { prepareWorkload, runWorkload } from './load-workload';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

/** A worker's memory did not grow: at most 1.25x its RSS after warm-up, or 64 MiB more, whichever is larger. */
export function rssGrew(start: number, end: number): boolean {
  return end > Math.max(start * 1.25, start + 64);
}

async function main(): Promise<void> {
  const duration = arg('duration', 60);
  const clients = arg('clients', 50);
  const workers = Number(process.env.WEB_CONCURRENCY ?? Math.min(os.availableParallelism(), 4));
  const stack = await startLoadStack({ workers });
  try {
    console.log(`server: node dist/src/main.js, ${workers} workers (${stack.workerPids().join(', ')}) at ${stack.url}; ${clients} clients, ${duration} s`);
    const fixture = await prepareWorkload(stack.url, stack.owner);
    const warmUntil = Date.now() + 20_000; // 20 s warm-up: the heaps reach their working size
    await runWorkload(fixture, clients, () => Date.now() > warmUntil);
    const since = new Date();
    // "Start" is each worker's highest RSS in the first quarter of the timed run (its working size once warm).
    const began = Date.now();
    const ends = began + duration * 1000;
    const rssStart = new Map<number, number | null>(stack.workerPids().map((pid) => [pid, rssMiB(pid)]));
    const sampler = setInterval(() => {
      if (Date.now() - began > duration * 250) return;
      for (const [pid, was] of rssStart) rssStart.set(pid, Math.max(was ?? 0, rssMiB(pid) ?? 0));
    }, 1000);
    const result = await runWorkload(fixture, clients, () => Date.now() > ends);
    clearInterval(sampler);
    const rssEnd = new Map(stack.workerPids().map((pid) => [pid, rssMiB(pid)]));
    printOperations(result, duration);
    printRss(rssStart, rssEnd);
    const lines = await checkNothingLost(stack.owner, result.acknowledged, since);
    const errors = [...result.stats.values()].reduce((n, s) => n + [...s.errors.values()].reduce((a, b) => a + b, 0), 0);
    lines.push({ ok: errors === 0 && result.leaks.length === 0, line: `errors: ${errors}, answers with a stack: ${result.leaks.length}` });
    const grew = [...rssStart].filter(([pid, start]) => start != null && rssEnd.get(pid) != null && rssGrew(start, rssEnd.get(pid)!));
    lines.push({ ok: grew.length === 0 && rssEnd.size === rssStart.size, line: `worker RSS: ${grew.length === 0 ? 'did not grow' : `grew in ${grew.map(([pid]) => pid).join(', ')}`}` });
    for (const { ok, line } of lines) console.log(`${ok ? 'PASS' : 'FAIL'} ${line}`);
    if (lines.some((l) => !l.ok)) throw new Error('a check failed (FAIL above)');
  } finally {
    await stack.stop();
  }
}

benchMain('bench:load', main);
