/**
 * `npm run bench:peers`' settings, from flags or BENCH_* variables (a flag wins): seconds per timed round
 * (`--duration` / BENCH_DURATION, default 10), interleaved rounds per concurrency (`--rounds` / BENCH_ROUNDS,
 * default 3), the concurrencies (`--concurrency 4,16` / BENCH_CONCURRENCY, default 4 and 16) and warm-up seconds
 * per arm (`--warmup` / BENCH_WARMUP, default 3). Pure, unit-tested in test/unit/bench/peers-helpers.test.ts.
 */

export interface PeerSettings {
  seconds: number;
  rounds: number;
  concurrencies: number[];
  warmupSeconds: number;
}

const DEFAULTS: PeerSettings = { seconds: 10, rounds: 3, concurrencies: [4, 16], warmupSeconds: 3 };

/** The value of `--name value` or `--name=value` in `argv`, else the variable, else undefined. */
function raw(argv: readonly string[], env: Record<string, string | undefined>, flag: string, variable: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === `--${flag}`) return argv[i + 1] ?? '';
    if (argv[i].startsWith(`--${flag}=`)) return argv[i].slice(flag.length + 3);
  }
  const value = env[variable];
  return value === '' ? undefined : value;
}

function positiveInts(text: string, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (!values.length || values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name} must be positive integers separated by commas, got "${text}"`);
  return values;
}

function positiveInt(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const values = positiveInts(text, name);
  if (values.length !== 1) throw new Error(`${name} must be one positive integer, got "${text}"`);
  return values[0];
}

/** The settings from the command line's flags and the environment. */
export function readPeerSettings(argv: readonly string[], env: Record<string, string | undefined>): PeerSettings {
  const concurrency = raw(argv, env, 'concurrency', 'BENCH_CONCURRENCY');
  return {
    seconds: positiveInt(raw(argv, env, 'duration', 'BENCH_DURATION'), '--duration / BENCH_DURATION', DEFAULTS.seconds),
    rounds: positiveInt(raw(argv, env, 'rounds', 'BENCH_ROUNDS'), '--rounds / BENCH_ROUNDS', DEFAULTS.rounds),
    concurrencies: concurrency === undefined ? DEFAULTS.concurrencies : positiveInts(concurrency, '--concurrency / BENCH_CONCURRENCY'),
    warmupSeconds: positiveInt(raw(argv, env, 'warmup', 'BENCH_WARMUP'), '--warmup / BENCH_WARMUP', DEFAULTS.warmupSeconds),
  };
}
