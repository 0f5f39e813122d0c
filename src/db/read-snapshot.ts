/**
 * One consistent read of the database on a connection of its own: a dedicated pool client in one
 * REPEATABLE READ READ ONLY transaction, so that several statements (a marketing list's manifest and its
 * rows, or a COPY streaming them) see one snapshot. The holder ends it exactly once: `close()` commits and
 * returns the client; `abort()` cancels whatever the client is running (a COPY cut off mid-stream), rolls
 * back and returns it, and destroys the connection when that fails, so no transaction is left open and no
 * client is leaked.
 */
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PoolClient } from 'pg';

export interface ReadSnapshot {
  /** The dedicated client (for COPY streams); use `query` for plain statements. */
  readonly client: PoolClient;
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** COMMIT (a read-only transaction: nothing to keep) and return the client to the pool. */
  close(): Promise<void>;
  /** Cancel what the client runs, ROLLBACK and return it; destroy the connection if that fails. Never throws. */
  abort(): Promise<void>;
}

type Release = (error?: Error | boolean) => void;

/** How long an abort waits for a cancelled statement to end before it gives the connection up. */
const ABORT_TIMEOUT_MS = 5000;

export async function openReadSnapshot(dataSource: DataSource): Promise<ReadSnapshot> {
  const driver = dataSource.driver as PostgresDriver;
  const [client, release] = (await driver.obtainMasterConnection()) as [PoolClient, Release];
  let ended = false;
  const end = (destroy: boolean) => {
    if (ended) return;
    ended = true;
    release(destroy ? new Error('read snapshot abandoned') : undefined);
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    end(true);
    throw error;
  }
  return {
    client,
    async query<T>(sql: string, parameters?: unknown[]): Promise<T[]> {
      const result = await client.query(sql, parameters);
      return result.rows as T[];
    },
    async close() {
      try {
        await client.query('COMMIT');
        end(false);
      } catch (error) {
        end(true);
        throw error;
      }
    },
    async abort() {
      if (ended) return;
      try {
        // A COPY still sending rows ignores ROLLBACK until it ends: cancel it (same role: allowed), then roll back.
        await dataSource.query('SELECT pg_cancel_backend($1)', [(client as PoolClient & { processID: number }).processID]);
        await withTimeout(client.query('ROLLBACK'), ABORT_TIMEOUT_MS);
        end(false);
      } catch {
        end(true);
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
