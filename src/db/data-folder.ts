/**
 * The embedded PostgreSQL's data folder (VISUS_DATA_DIR, default .data/postgres) before and while the
 * server starts: is it absent or empty (initialise it), a PostgreSQL data folder, in use by a running
 * PostgreSQL, or something else; and why PostgreSQL refused to start on it. Every problem is a
 * StartupError: one line saying what is wrong and what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../errors/startup-error';
import { portProblem } from './port-check';

export type DataFolderState = 'fresh' | 'initialised';

const RESET = 'set VISUS_DATA_DIR to another folder, or delete this one to start afresh with the demo data';

/** `fresh` (absent or empty: initdb will create it) or `initialised` (holds PG_VERSION); anything else stops startup. */
export function dataFolderState(dataDir: string): DataFolderState {
  let entries: string[];
  try {
    if (!fs.statSync(dataDir).isDirectory()) {
      throw new StartupError(`the data folder ${dataDir} is a file, not a folder: ${RESET}.`);
    }
    entries = fs.readdirSync(dataDir);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'fresh';
    throw new StartupError(`the data folder ${dataDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${RESET}.`, { cause: error });
  }
  if (entries.includes('PG_VERSION')) return 'initialised';
  if (entries.length === 0) return 'fresh';
  throw new StartupError(`the data folder ${dataDir} exists but is not a PostgreSQL data folder (it has files but no PG_VERSION): ${RESET}.`);
}

/** The PostgreSQL server running on this data folder (its postmaster.pid names a live process), if any. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | null {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
    process.kill(pid, 0); // throws when no such process
    return { pid, port };
  } catch {
    return null;
  }
}

/** A second server on a data folder PostgreSQL already serves (it locks the folder). */
export function dataFolderInUse(dataDir: string, running: { pid: number; port: number }): StartupError {
  return new StartupError(`the data folder ${dataDir} is in use by PostgreSQL (pid ${running.pid}, port ${running.port}), ` +
    `probably another npm start: stop that server (if none runs, kill ${running.pid}), or set VISUS_DATA_DIR to another folder.`);
}

/** Why PostgreSQL did not start, from what it printed (its FATAL line, one line). */
export function explainStartFailure(dataDir: string, port: number, log: readonly string[]): StartupError {
  const text = log.join('\n');
  const fatal = /(?:FATAL|PANIC|ERROR):\s*(.*)/.exec(text)?.[1]?.trim();
  if (/lock file .*postmaster\.pid.* already exists/.test(text)) {
    const running = runningPostmaster(dataDir);
    if (running) return dataFolderInUse(dataDir, running);
    return new StartupError(`the data folder ${dataDir} is locked by another PostgreSQL (postmaster.pid): stop it, or set VISUS_DATA_DIR to another folder.`);
  }
  if (/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(text)) {
    return new StartupError(portProblem(port, 'VISUS_EMBEDDED_PG_PORT', 'embedded PostgreSQL', 'EADDRINUSE'));
  }
  if (/database files are incompatible with server/.test(text)) {
    const detail = /DETAIL:\s*(.*)/.exec(text)?.[1]?.trim();
    return new StartupError(`the data folder ${dataDir} was made by another PostgreSQL version${detail ? ` (${detail})` : ''}: ${RESET}.`);
  }
  return new StartupError(`the embedded PostgreSQL did not start on ${dataDir}${fatal ? ` (${fatal})` : ''}: ${RESET}.`);
}

/** Why initdb failed (its first error line). */
export function explainInitFailure(dataDir: string, error: unknown): StartupError {
  const text = error instanceof Error ? error.message : String(error);
  const line = /initdb: error: (.*)/.exec(text)?.[1]?.trim() ?? text.split('\n')[0];
  return new StartupError(`the data folder ${dataDir} could not be initialised (${line}): ${RESET}.`, { cause: error });
}
