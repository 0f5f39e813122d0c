/**
 * The check every API process runs on its own connections before it serves: the role it connects as is
 * the configured application role, cannot alter history and holds exactly the privileges of app-grants.ts.
 * Refuses to start otherwise (fail closed): a superuser, a table owner or a member of another role (it could
 * SET ROLE to it) could disable the append-only triggers or rewrite the log.
 */
import { DataSource } from 'typeorm';
import { APP_SCHEMA, appTablePrivileges, schemaTables, TABLE_PRIVILEGES } from './app-grants';
import type { DatabaseName } from './data-sources';

/** The first few names, and how many more. */
function listed(names: string[]): string {
  return `${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
}

/** Why the role `dataSource` connects as must not serve requests, as readable sentences (empty when it may). */
export async function appRoleProblems(dataSource: DataSource, database: DatabaseName, expectedRole: string): Promise<string[]> {
  const query = (sql: string, parameters?: unknown[]): Promise<Record<string, unknown>[]> => dataSource.query(sql, parameters);
  const problems: string[] = [];
  const [me] = await query(
    `SELECT current_user AS name, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user`,
  );
  if (me.name !== expectedRole) problems.push(`connects as "${String(me.name)}", not as the application role "${expectedRole}" (VISUS_APP_DB_ROLE)`);
  if (me.rolsuper) problems.push('is a superuser');
  if (me.rolbypassrls) problems.push('has BYPASSRLS');
  if (me.rolcreaterole) problems.push('has CREATEROLE');

  const memberOf = await query(
    `SELECT r.rolname AS name FROM pg_roles r WHERE r.rolname <> current_user AND pg_has_role(current_user, r.oid, 'MEMBER') ORDER BY 1`,
  );
  if (memberOf.length) problems.push(`is a member of ${listed(memberOf.map((r) => String(r.name)))} (it could SET ROLE to them)`);

  const owned = await query(
    `SELECT 'schema ' || n.nspname AS what FROM pg_namespace n WHERE n.nspname = $1 AND pg_has_role(current_user, n.nspowner, 'MEMBER')
     UNION ALL
     SELECT 'relation ' || c.relname FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND pg_has_role(current_user, c.relowner, 'MEMBER')
     UNION ALL
     SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = $1::regnamespace AND pg_has_role(current_user, p.proowner, 'MEMBER')
     UNION ALL
     SELECT 'type ' || t.typname FROM pg_type t WHERE t.typnamespace = $1::regnamespace AND pg_has_role(current_user, t.typowner, 'MEMBER')`,
    [APP_SCHEMA],
  );
  if (owned.length) problems.push(`owns ${listed(owned.map((o) => String(o.what)))}`);

  const held = await query(
    `SELECT c.relname AS name, p.privilege FROM pg_class c CROSS JOIN unnest($2::text[]) AS p(privilege)
      WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND has_table_privilege(current_user, c.oid, p.privilege)`,
    [APP_SCHEMA, [...TABLE_PRIVILEGES]],
  );
  const holds = new Set(held.map((h) => `${String(h.name)} ${String(h.privilege)}`));
  const wrong: string[] = [];
  for (const table of await schemaTables(query)) {
    const expected = appTablePrivileges(database, table);
    const extra = TABLE_PRIVILEGES.filter((p) => holds.has(`${table} ${p}`) && !expected.includes(p));
    const lacking = expected.filter((p) => !holds.has(`${table} ${p}`));
    if (extra.length) wrong.push(`${table}: may ${extra.join(', ')}`);
    if (lacking.length) wrong.push(`${table}: lacks ${lacking.join(', ')}`);
  }
  if (wrong.length) problems.push(`has the wrong table privileges (${wrong.join('; ')}): run the migrations as the owner, which applies the grants`);

  const [schema] = await query(`SELECT has_schema_privilege(current_user, $1, 'CREATE') AS "create"`, [APP_SCHEMA]);
  if (schema.create) problems.push(`may CREATE in schema ${APP_SCHEMA} (REVOKE CREATE ON SCHEMA ${APP_SCHEMA} FROM PUBLIC as its owner)`);
  return problems;
}

/** Throws, naming every problem, unless the role `dataSource` connects as may serve requests. */
export async function assertAppRole(dataSource: DataSource, database: DatabaseName, expectedRole: string): Promise<void> {
  const problems = await appRoleProblems(dataSource, database, expectedRole);
  if (problems.length) {
    throw new Error(`refusing to serve: the ${database} database's connection role ${problems.join('; ')}. ` +
      'DATABASE_URL and CLINICAL_DATABASE_URL must log in as the restricted application role (see "Database roles and grants" in the README).');
  }
}
