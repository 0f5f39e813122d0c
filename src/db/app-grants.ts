/**
 * The application role's privileges, applied by the owner after every migration run (`npm start`, the
 * migration and seed scripts, the test and bench setups), from the registry in append-only-tables.ts:
 * - every table: SELECT, INSERT, UPDATE, DELETE; append-only tables: SELECT, INSERT only; the migrations
 *   table: SELECT only; never TRUNCATE, REFERENCES or TRIGGER; anything else granted before is revoked
 *   (from PUBLIC too, which every role is a member of);
 * - USAGE on sequences that back serial columns (identity columns need none: PostgreSQL does not check
 *   sequence privileges for them);
 * - CONNECT on the database and USAGE on the schema; no CREATE on either, no TEMPORARY;
 * - EXECUTE on the schema's SECURITY DEFINER functions (clinical_access_log_append, personal_change_log_redact, clinical_change_log_redact), revoked from PUBLIC.
 * All in one transaction under an advisory lock (concurrent GRANTs on one object can fail), so a running
 * API process never sees its privileges half applied. Table privileges copy with a template database;
 * database privileges do not: apply this to every copy (test/support/test-app.ts does).
 */
import { DataSource, EntityManager } from 'typeorm';
import { APPEND_ONLY_TABLES, READ_ONLY_TABLES } from './append-only-tables';
import type { DatabaseName } from './data-sources';

export const APP_SCHEMA = 'public';

export const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;
export type TablePrivilege = (typeof TABLE_PRIVILEGES)[number];

/** What the application role holds on one table of one database. */
export function appTablePrivileges(database: DatabaseName, table: string): TablePrivilege[] {
  if (READ_ONLY_TABLES.includes(table)) return ['SELECT'];
  if (APPEND_ONLY_TABLES[database].includes(table)) return ['SELECT', 'INSERT'];
  return ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

type Query = (sql: string, parameters?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Relation kinds that take table privileges: tables, partitioned tables, views, materialized views, foreign tables. */
const TABLE_KINDS = `('r', 'p', 'v', 'm', 'f')`;

/** The schema's tables (and views), by name. */
export async function schemaTables(query: Query): Promise<string[]> {
  const rows = await query(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ${TABLE_KINDS} ORDER BY 1`,
    [APP_SCHEMA],
  );
  return rows.map((r) => String(r.name));
}

/** Each table with a `visus_reject_change()` trigger, and which of UPDATE, DELETE and TRUNCATE its enabled BEFORE triggers reject. */
export async function rejectChangeTriggers(query: Query): Promise<Map<string, Set<string>>> {
  // tgtype bits: 1 row, 2 before, 8 delete, 16 update, 32 truncate. tgenabled 'O'/'A': fires in normal sessions.
  const rows = await query(
    `SELECT c.relname AS name,
            bool_or(t.tgtype & 3 = 3 AND t.tgtype & 16 <> 0 AND t.tgenabled IN ('O', 'A')) AS "update",
            bool_or(t.tgtype & 3 = 3 AND t.tgtype & 8 <> 0 AND t.tgenabled IN ('O', 'A')) AS "delete",
            bool_or(t.tgtype & 3 = 2 AND t.tgtype & 32 <> 0 AND t.tgenabled IN ('O', 'A')) AS "truncate"
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE p.proname = 'visus_reject_change' AND NOT t.tgisinternal AND c.relnamespace = $1::regnamespace
      GROUP BY c.relname`,
    [APP_SCHEMA],
  );
  return new Map(rows.map((r) => [String(r.name), new Set(['UPDATE', 'DELETE', 'TRUNCATE'].filter((op) => r[op.toLowerCase()] === true))]));
}

/**
 * Where the registry and the database's triggers disagree, as readable sentences (empty when they agree):
 * a table with a `visus_reject_change()` trigger that the registry lacks, a registered table that is missing,
 * or one whose triggers do not reject all of UPDATE, DELETE and TRUNCATE.
 */
export async function appendOnlyRegistryProblems(query: Query, database: DatabaseName): Promise<string[]> {
  const triggers = await rejectChangeTriggers(query);
  const tables = new Set(await schemaTables(query));
  const registry = APPEND_ONLY_TABLES[database];
  const problems: string[] = [];
  for (const table of triggers.keys()) {
    if (!registry.includes(table)) problems.push(`${table} has a visus_reject_change() trigger but is not in APPEND_ONLY_TABLES.${database} (src/db/append-only-tables.ts)`);
  }
  for (const table of registry) {
    if (!tables.has(table)) {
      problems.push(`${table} is in APPEND_ONLY_TABLES.${database} but there is no such table in the ${database} database`);
      continue;
    }
    const rejected = triggers.get(table) ?? new Set<string>();
    const missing = ['UPDATE', 'DELETE', 'TRUNCATE'].filter((op) => !rejected.has(op));
    if (missing.length) problems.push(`${table} is in APPEND_ONLY_TABLES.${database} but no enabled BEFORE visus_reject_change() trigger rejects ${missing.join(', ')}`);
  }
  return problems;
}

/** Applies the application role's privileges to the database `owner` is connected to (see the file header). */
export async function applyAppGrants(owner: DataSource, database: DatabaseName, role: string): Promise<void> {
  await owner.transaction(async (tx: EntityManager) => {
    const query: Query = (sql, parameters) => tx.query(sql, parameters);
    await query(`SELECT pg_advisory_xact_lock(hashtext('visus_app_grants'))`);
    const problems = await appendOnlyRegistryProblems(query, database);
    if (problems.length) throw new Error(`append-only tables of the ${database} database: ${problems.join('; ')}`);

    const r = quoteIdent(role);
    const schema = quoteIdent(APP_SCHEMA);
    const [{ db }] = await query('SELECT current_database() AS db');
    const dbName = quoteIdent(String(db));
    await query(`REVOKE ALL ON DATABASE ${dbName} FROM PUBLIC, ${r}`);
    await query(`GRANT CONNECT ON DATABASE ${dbName} TO ${r}`);
    await query(`REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`);
    await query(`REVOKE ALL ON SCHEMA ${schema} FROM ${r}`);
    await query(`GRANT USAGE ON SCHEMA ${schema} TO ${r}`);

    await query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM PUBLIC, ${r}`);
    const byPrivileges = new Map<string, string[]>();
    for (const table of await schemaTables(query)) {
      const privileges = appTablePrivileges(database, table).join(', ');
      byPrivileges.set(privileges, [...(byPrivileges.get(privileges) ?? []), `${schema}.${quoteIdent(table)}`]);
    }
    for (const [privileges, tables] of byPrivileges) await query(`GRANT ${privileges} ON TABLE ${tables.join(', ')} TO ${r}`);

    await query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM PUBLIC, ${r}`);
    const serials = await query(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'S'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')`,
      [APP_SCHEMA],
    );
    if (serials.length) {
      await query(`GRANT USAGE ON SEQUENCE ${serials.map((s) => `${schema}.${quoteIdent(String(s.name))}`).join(', ')} TO ${r}`);
    }
    // SECURITY DEFINER functions run as the owner: only the application's role may call them, not PUBLIC.
    const definers = await query(
      `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p WHERE p.pronamespace = $1::regnamespace AND p.prosecdef`,
      [APP_SCHEMA],
    );
    for (const { signature } of definers) {
      await query(`REVOKE ALL ON FUNCTION ${String(signature)} FROM PUBLIC`);
      await query(`GRANT EXECUTE ON FUNCTION ${String(signature)} TO ${r}`);
    }
  });
}
