/**
 * "Nothing changed": an md5 of every row of every table of both databases, read as their owner, so a
 * refused request can be shown to have written nothing (not merely the same number of rows).
 * A few tables and columns change on every request by design and are left out (CHANGING_ON_EVERY_REQUEST).
 */
import { DataSource } from 'typeorm';
import { TestApp } from './test-app';

type Database = 'core' | 'clinical';

/**
 * What legitimately changes when a client sends anything, even a refused request; all else must not.
 * '*' leaves the whole table out, a list only those columns.
 */
export const CHANGING_ON_EVERY_REQUEST: Record<Database, Record<string, '*' | string[]>> = {
  core: {
    // Every authenticated request moves its session's idle clock (the rest of the row still counts:
    // a new, ended or replaced session is a change).
    session: ['last_seen_at'],
    // Every failed sign-in is recorded, by design: that is the login throttle.
    login_attempt: '*',
  },
  clinical: {},
};

export type Checksums = Map<string, string>;

async function columnsOf(db: DataSource, table: string): Promise<string[]> {
  const rows: { column_name: string }[] = await db.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table]);
  return rows.map((r) => r.column_name);
}

/** One statement per database computing every table's checksum, prepared once per suite. */
export class DatabaseChecksums {
  private statements: { database: Database; db: DataSource; sql: string }[] = [];

  constructor(private readonly app: TestApp) {}

  async prepare(): Promise<this> {
    for (const [database, db] of [['core', this.app.ownerCore], ['clinical', this.app.ownerClinical]] as const) {
      const tables: { table_name: string }[] = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
      const parts: string[] = [];
      for (const { table_name: table } of tables) {
        const excluded = CHANGING_ON_EVERY_REQUEST[database][table];
        if (excluded === '*') continue;
        const columns = (await columnsOf(db, table)).filter((c) => !excluded?.includes(c)).map((c) => `"${c}"`);
        parts.push(`SELECT '${database}.${table}' AS name, (SELECT coalesce(md5(string_agg(t::text, '' ORDER BY t::text)), 'empty') FROM (SELECT ${columns.join(', ')} FROM "${table}") t) AS sum`);
      }
      this.statements.push({ database, db, sql: parts.join('\nUNION ALL\n') });
    }
    return this;
  }

  async take(): Promise<Checksums> {
    const sums: Checksums = new Map();
    for (const { db, sql } of this.statements) {
      for (const row of (await db.query(sql)) as { name: string; sum: string }[]) sums.set(row.name, row.sum);
    }
    return sums;
  }

  /** Tables whose checksum differs between two takes. */
  static changed(before: Checksums, after: Checksums): string[] {
    return [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name)).sort();
  }
}
