/**
 * Plain rows for read paths: a SELECT list written once per entity from its TypeORM metadata (`alias.column AS
 * "property"`) and a mapper that turns each raw row into an instance of the entity class, so the read skips
 * TypeORM's entity hydration (its per-row relation and primary-key bookkeeping). Each value goes through the
 * driver's own hydration (`prepareHydratedValue`: transformers, dates) only where the column needs it, so a
 * plain row holds exactly what `getMany()` would have given. Only plain columns are supported (no embedded
 * columns, no relation-only join columns, no after-load listeners or subscribers): for an entity with any of
 * those, `plainRows` falls back to TypeORM's `getMany()`, so it is always correct and fast where it can be.
 *
 * `isoTimestamps` (for rows that only go out through GraphQL, whose `DateTimeISO` passes such strings through:
 * src/schema/date-time-iso.ts): each timestamptz column is selected as the string `Date#toISOString()` would give
 * for it, made by PostgreSQL (`to_char` in UTC, milliseconds truncated as a JavaScript Date truncates them), so
 * no Date is parsed and formatted again per value. A value outside years 1-9999 (where the two forms differ) comes as
 * PostgreSQL's text and is parsed as pg parses it, so the row then holds the Date it always held.
 *
 * The SELECT list is written once per shape as SQL text. The builder is asked for its statement with a one-column
 * placeholder list (`SELECT 1 AS "__plain_rows" FROM …`), which is then replaced by the shape's list: TypeORM then
 * builds and rewrites (its property-name pass over the whole statement) a short statement per request, not one
 * with every column and timestamp expression (about 4% of the customer page's CPU, issue 14). A statement that does
 * not begin that way (a comment, a CTE) is built by TypeORM with the full list, as before.
 */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { types } from 'pg';

/** Column types whose raw pg value is already what the entity holds (no driver hydration needed). */
const AS_IS = new Set<unknown>(['uuid', 'varchar', 'character varying', 'text', 'enum', 'int', 'integer', 'smallint', 'int4', 'int2', String, Number]);

const TIMESTAMPTZ = new Set<unknown>(['timestamptz', 'timestamp with time zone']);
/** pg's own parser of a timestamptz's text (OID 1184). */
const parseTimestamptz = types.getTypeParser(1184, 'text') as (text: string) => Date;

/** `column` (an SQL expression of a timestamptz) as toISOString()'s string in years 1-9999, as its text outside them. */
function isoExpression(column: string): string {
  return `CASE WHEN ${column} >= '0001-01-01 00:00:00+00' AND ${column} < '10000-01-01 00:00:00+00'` +
    ` THEN to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE CAST(${column} AS text) END`;
}

/** A value of an `isoExpression`: the ISO string as it is, PostgreSQL's text (out of range) parsed into a Date. */
function isoValue(value: unknown): unknown {
  if (typeof value !== 'string' || (value.length === 24 && value.charCodeAt(23) === 90 /* Z */)) return value;
  return parseTimestamptz(value);
}

export interface PlainRowOptions {
  /** timestamptz columns as ISO strings (see the header): only for rows nothing but GraphQL's output reads. */
  isoTimestamps?: boolean;
}

interface PlainShape<E> {
  /** [sql expression, property] for each column of the entity. */
  selection: [string, string][];
  /** The same as SQL text: `expression AS "property", …`, identifiers quoted by the driver. */
  selectList: string;
  map(raw: Record<string, unknown>): E;
}

/** The placeholder SELECT list a builder is given, and how its statement then begins. */
const PLACEHOLDER_ALIAS = '__plain_rows';
const PLACEHOLDER_HEAD = `SELECT 1 AS "${PLACEHOLDER_ALIAS}" FROM `;

const shapes = new WeakMap<DataSource, Map<string, PlainShape<unknown> | null>>();

/** The entity's plain shape, or null when its rows need TypeORM's own hydration (see the header). */
function buildShape<E extends ObjectLiteral>(dataSource: DataSource, entity: new () => E, alias: string, options: PlainRowOptions): PlainShape<E> | null {
  const metadata = dataSource.getMetadata(entity);
  const driver = dataSource.driver;
  const columns: ColumnMetadata[] = metadata.columns;
  if (metadata.afterLoadListeners.length > 0 || dataSource.subscribers.length > 0 || metadata.embeddeds.length > 0) return null;
  for (const column of columns) {
    if (column.embeddedMetadata || (column.relationMetadata && column.propertyName === column.relationMetadata.propertyName)) return null;
  }
  const iso = (c: ColumnMetadata): boolean => options.isoTimestamps === true && !c.transformer && TIMESTAMPTZ.has(c.type);
  const asIs = columns.filter((c) => !c.transformer && AS_IS.has(c.type)).map((c) => c.propertyName);
  const isoColumns = columns.filter(iso).map((c) => c.propertyName);
  const hydrated = columns.filter((c) => !iso(c) && (c.transformer || !AS_IS.has(c.type)));
  const quoted = (c: ColumnMetadata): string => `${driver.escape(alias)}.${driver.escape(c.databaseName)}`;
  return {
    selection: columns.map((c) => [iso(c) ? isoExpression(`${alias}.${c.databaseName}`) : `${alias}.${c.databaseName}`, c.propertyName]),
    selectList: columns.map((c) => `${iso(c) ? isoExpression(quoted(c)) : quoted(c)} AS ${driver.escape(c.propertyName)}`).join(', '),
    map(raw) {
      const row = new entity() as Record<string, unknown>;
      for (const property of asIs) row[property] = raw[property];
      for (const property of isoColumns) row[property] = isoValue(raw[property]);
      for (const column of hydrated) row[column.propertyName] = driver.prepareHydratedValue(raw[column.propertyName], column);
      return row as E;
    },
  };
}

function shapeOf<E extends ObjectLiteral>(dataSource: DataSource, entity: new () => E, alias: string, options: PlainRowOptions): PlainShape<E> | null {
  // A view of a DataSource bound to a request's transaction (src/db/request-transaction.ts) shares its prototype's metadata.
  const root = Object.getPrototypeOf(dataSource) instanceof DataSource ? (Object.getPrototypeOf(dataSource) as DataSource) : dataSource;
  let byEntity = shapes.get(root);
  if (!byEntity) shapes.set(root, (byEntity = new Map()));
  const key = `${entity.name}:${alias}:${options.isoTimestamps === true ? 'iso' : 'dates'}`;
  if (!byEntity.has(key)) byEntity.set(key, buildShape(root, entity, alias, options) as PlainShape<unknown> | null);
  return byEntity.get(key) as PlainShape<E> | null;
}

/**
 * The rows `qb` (a query builder over `entity` as `alias`, built on `dataSource`) selects, as plain instances of
 * the entity: every column selected, no relations. The builder's WHERE, ORDER BY and LIMIT are kept as they are.
 * With `isoTimestamps`, its timestamptz properties hold ISO strings (typed as the entity's Dates: see the header).
 */
export async function plainRows<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: new () => E,
  alias: string,
  qb: SelectQueryBuilder<E>,
  options: PlainRowOptions = {},
): Promise<E[]> {
  const shape = shapeOf(dataSource, entity, alias, options);
  if (!shape) return qb.getMany();
  const raws = await rawRows(dataSource, shape, qb);
  const rows = new Array<E>(raws.length);
  for (let i = 0; i < raws.length; i += 1) rows[i] = shape.map(raws[i]);
  return rows;
}

/**
 * The builder's raw rows with the shape's SELECT list (see the header). The statement runs as getRawMany() runs it:
 * through `dataSource` (a request transaction's view runs it on that transaction's connection).
 */
async function rawRows<E extends ObjectLiteral>(dataSource: DataSource, shape: PlainShape<unknown>, qb: SelectQueryBuilder<E>): Promise<Record<string, unknown>[]> {
  const [sql, parameters] = qb.select('1', PLACEHOLDER_ALIAS).getQueryAndParameters();
  if (sql.startsWith(PLACEHOLDER_HEAD)) {
    return await dataSource.query(`SELECT ${shape.selectList} FROM ${sql.slice(PLACEHOLDER_HEAD.length)}`, parameters) as Record<string, unknown>[];
  }
  const [first, ...rest] = shape.selection;
  qb.select(first[0], first[1]);
  for (const [expression, property] of rest) qb.addSelect(expression, property);
  return qb.getRawMany();
}
