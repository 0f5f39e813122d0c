/**
 * The backup manifest (the archive's last frame) and the catalogue queries dump and restore share: the tables of a
 * database in foreign-key order, their columns (generated ones excluded), the sessions' settings for COPY, and a
 * table's row count and checksum (sha256 of its COPY text).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { TaggedHead } from '../hash-chain/change-log-chain';
import type { DatabaseName } from '../db/data-sources';

export const FORMAT = 'visus-backup/1';

export interface TableEntry { database: DatabaseName; table: string; columns: string[]; rows: number; bytes: number; sha256: string }

/** Which dump made the archive: the built-in COPY dump (frames per table), or BACKUP_PG_DUMP (one pg_dump custom-format stream per database). */
export type BackupMode = 'copy' | 'pg_dump';

export interface Manifest {
  format: string;
  /** Absent in archives made before pg_dump mode: 'copy'. */
  mode?: BackupMode;
  /** pg_dump mode: the pg_dump's major version (a pg_restore at least as new restores it). */
  pgDumpMajor?: number;
  createdAt: string;
  /** Milliseconds the dump took, and the archive's size in bytes (known once written: in the sidecar only). */
  durationMs: number;
  /** Applied migrations per database, in order: the schema the data fits. */
  migrations: Record<DatabaseName, string[]>;
  serverVersion: string;
  tables: TableEntry[];
  sequences: Record<DatabaseName, { name: string; lastValue: string | null }[]>;
  /** Every hash-chained log's chain heads (the `audit:export-head` format) at the dump's snapshot. */
  heads: TaggedHead[];
}

export const SESSION_SETTINGS = [
  `SET TimeZone = 'UTC'`, `SET DateStyle = 'ISO, YMD'`, `SET IntervalStyle = 'postgres'`, 'SET extra_float_digits = 3',
  `SET bytea_output = 'hex'`, 'SET synchronize_seqscans = off', `SET client_encoding = 'UTF8'`,
];

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** The schema's ordinary tables, each after the tables it references (the migrations table excluded). */
export async function tablesInOrder(client: Client): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> $1 ORDER BY 1`, [MIGRATIONS_TABLE]);
  const { rows: refs } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND c.conrelid <> c.confrelid`);
  const strip = (n: string): string => n.replace(/^public\./, '').replace(/^"|"$/g, '');
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set<string>()]));
  for (const r of refs) parents.get(strip(r.child))?.add(strip(r.parent));
  const done: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, path: Set<string>): void => {
    if (seen.has(t) || path.has(t)) return;
    path.add(t);
    for (const p of parents.get(t) ?? []) visit(p, path);
    seen.add(t);
    done.push(t);
  };
  for (const t of tables) visit(t.name, new Set());
  return done;
}

export async function tableColumns(client: Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [`public.${quote(table)}`]);
  return rows.map((r) => r.name);
}

export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function copyTarget(table: string, columns: string[]): string {
  return `public.${quote(table)} (${columns.map(quote).join(', ')})`;
}

export const sha256 = (): ReturnType<typeof createHash> => createHash('sha256');

/** `table`'s rows and the sha256 of its COPY text (what the COPY dump writes, and what verify reads back). */
export async function tableDigest(client: Client, table: string, columns: string[]): Promise<{ rows: number; bytes: number; sha256: string }> {
  const hash = sha256();
  let bytes = 0;
  const copy = client.query(copyTo(`COPY ${copyTarget(table, columns)} TO STDOUT`));
  for await (const chunk of copy as Readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { rows: Number(copy.rowCount ?? 0), bytes, sha256: hash.digest('hex') };
}
