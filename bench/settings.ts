/**
 * The benchmarks' settings from the environment: BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_ROUNDS and
 * BENCH_WARMUP (each benchmark brings its defaults), and the servers' NODE_ENV.
 */

export interface BenchSettings {
  /** Timed requests per instance. */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Alternating rounds the timed requests are split into. */
  rounds: number;
  /** Warm-up requests per instance. */
  warmup: number;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_ROUNDS and BENCH_WARMUP, with the benchmark's defaults. */
export function readSettings(defaults: BenchSettings): BenchSettings {
  const requests = envInt('BENCH_REQUESTS', defaults.requests);
  const concurrency = envInt('BENCH_CONCURRENCY', defaults.concurrency);
  const rounds = Math.min(envInt('BENCH_ROUNDS', defaults.rounds), requests);
  const warmup = envInt('BENCH_WARMUP', defaults.warmup);
  return { requests, concurrency, rounds, warmup };
}

/** The servers' NODE_ENV: production (as deployed; graphql-js then skips its development checks) unless set. */
export function serverNodeEnv(): string {
  return process.env.NODE_ENV || 'production';
}
