/**
 * Deterministic randomness and ids for the bulk seed, computed by PostgreSQL itself so that rows are made
 * where they are stored (INSERT … SELECT over generate_series, no rows shipped from Node). Two session-local
 * SQL functions, created by `createRandomFunctions` on the seed's connection:
 *   - `pg_temp.bulk_u(n bigint, salt bigint) → float8` in [0, 1): a hash of the row number and a salt
 *     (`hashint8extended`), so the same seed gives the same value for the same row and question;
 *   - `pg_temp.bulk_id(key text) → uuid`: an RFC 4122 version-4-shaped UUID from the MD5 of a key naming the
 *     row (seed, kind, numbers), so the same seed gives the same ids.
 * `u(rowExpr, question)` and `id(...parts)` write calls to them with the seed folded in.
 */

export interface RandomSql {
  /** SQL for a uniform number in [0, 1) for row `rowExpr` (an SQL expression) and question number `question`. */
  u(rowExpr: string, question: number): string;
  /** The same with the question number an SQL expression (e.g. a channel's number added to a base). */
  uq(rowExpr: string, questionExpr: string): string;
  /** SQL for a deterministic uuid from the seed and the parts (SQL expressions or quoted literals). */
  id(kind: string, ...parts: string[]): string;
  /** SQL picking one element of `list` (a JS array of strings, quoted here) by a uniform number expression. */
  pick(list: readonly string[], uniformExpr: string): string;
}

export const CREATE_RANDOM_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION pg_temp.bulk_u(n bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
     $$ SELECT ((hashint8extended(n, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`,
  `CREATE OR REPLACE FUNCTION pg_temp.bulk_id(key text) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
     $$ SELECT overlay(overlay(md5(key) placing '4' from 13) placing '8' from 17)::uuid $$`,
];

export const DROP_RANDOM_FUNCTIONS = ['DROP FUNCTION IF EXISTS pg_temp.bulk_u(bigint, bigint)', 'DROP FUNCTION IF EXISTS pg_temp.bulk_id(text)'];

/** A string as an SQL literal. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function randomSql(seed: number): RandomSql {
  return {
    u: (rowExpr, question) => `pg_temp.bulk_u((${rowExpr})::bigint, ${seed * 1000 + question})`,
    uq: (rowExpr, questionExpr) => `pg_temp.bulk_u((${rowExpr})::bigint, ${seed * 1000} + (${questionExpr}))`,
    id: (kind, ...parts) => `pg_temp.bulk_id(${[literal(`${seed}:${kind}`), ...parts.map((p) => `(${p})::text`)].join(` || ':' || `)})`,
    pick: (list, uniformExpr) => `(ARRAY[${list.map(literal).join(',')}])[1 + floor((${uniformExpr}) * ${list.length})::int]`,
  };
}
