/**
 * The marketing list as SQL: the one definition of who is on a list and why the others are not, shared by the
 * `marketingList` query and the streamed export (docs/marketing-lists.md). Given the chain, the channel, the
 * caller's ability (its list scope: src/policies/marketing-list-scope.ts) and optional store ids it yields
 * - the manifest, in one statement: considered, included, the customers each rule excluded (each counted under
 *   the first rule they fail) and the content hash (SHA-256 in SQL over `<id>\n` per included customer in id order);
 * - a page of the included customers in id order (keyset: ids after a cursor's);
 * - the whole list as export rows (CSV columns or NDJSON lines), each field empty or left out where the caller
 *   may not read it at that customer's store, for COPY.
 * Statements run inside a read snapshot (src/db/read-snapshot.ts) after `bindSuppressionKey`: the keyed contact
 * hashes read the key from a transaction-local setting, so the key is never part of a statement's text.
 */
import { exportableCustomerFields, listScopeSql, readableCustomerFieldSql } from '../../policies/marketing-list-scope';
import { AppAbility } from '../../policies/ability';
import { ColumnMap, SqlParams } from '../../policies/sql-condition';
import { ConsentChannel, MarketingListRule } from '../../schema/enums';
import { emailHashSql, phoneHashSql } from '../consent/contact-hash-sql';

/** The rules in the order they are applied, each with what it requires (the manifest's `rules`). */
export const MARKETING_LIST_RULES: readonly { rule: MarketingListRule; requires: string }[] = [
  { rule: MarketingListRule.CHANNEL_DISABLED, requires: 'the channel is enabled for the chain' },
  { rule: MarketingListRule.INACTIVE, requires: 'the customer is ACTIVE' },
  { rule: MarketingListRule.RESTRICTED, requires: 'processing of the customer’s data is not restricted' },
  { rule: MarketingListRule.OBJECTED, requires: 'no objection to direct marketing, and neither the email nor the phone is on the chain’s suppression list' },
  { rule: MarketingListRule.NO_CONSENT, requires: 'a consent for the channel has been recorded' },
  { rule: MarketingListRule.WITHDRAWN, requires: 'the current consent for the channel is granted' },
  { rule: MarketingListRule.NO_CONTACT_DETAIL, requires: 'the channel’s contact detail is present (EMAIL: email; SMS: phone; MAIL: address line 1 and postcode; SOCIAL_MEDIA: email or phone)' },
];

const CUSTOMER: ColumnMap = { chainId: 'c.chain_id', storeId: 'c.home_store_id', id: 'c.id' };

/** The transaction-local setting holding the suppression key (hex) while a list is read. */
const KEY_SETTING = 'visus.suppression_key';
const KEY_SQL = `decode(current_setting('${KEY_SETTING}'), 'hex')`;

/** Makes the suppression key available to this transaction's statements (a bound parameter: not in any statement's text). */
export const BIND_SUPPRESSION_KEY_SQL = `SELECT set_config('${KEY_SETTING}', $1, true)`;

const present = (column: string) => `nullif(btrim(${column}), '') IS NOT NULL`;

/** Whether the channel's contact detail is present (rule NO_CONTACT_DETAIL). */
const CONTACT_PRESENT: Record<ConsentChannel, string> = {
  [ConsentChannel.EMAIL]: present('c.email'),
  [ConsentChannel.SMS]: present('c.phone'),
  [ConsentChannel.MAIL]: `(${present('c.address_line1')} AND ${present('c.postcode')})`,
  [ConsentChannel.SOCIAL_MEDIA]: `(${present('c.email')} OR ${present('c.phone')})`,
};

const isoTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The Customer fields an export carries, with their value as text (timestamps in ISO 8601 UTC).
 * `homeStore` (a relation) is not a column: `homeStoreId` is.
 */
export const EXPORT_FIELDS: readonly { field: string; text: string }[] = [
  { field: 'id', text: 'c.id::text' },
  { field: 'firstName', text: 'c.first_name' },
  { field: 'lastName', text: 'c.last_name' },
  { field: 'dateOfBirth', text: `to_char(c.date_of_birth, 'YYYY-MM-DD')` },
  { field: 'sex', text: 'c.sex::text' },
  { field: 'addressLine1', text: 'c.address_line1' },
  { field: 'addressLine2', text: 'c.address_line2' },
  { field: 'city', text: 'c.city' },
  { field: 'postcode', text: 'c.postcode' },
  { field: 'country', text: 'c.country' },
  { field: 'phone', text: 'c.phone' },
  { field: 'email', text: 'c.email' },
  { field: 'homeStoreId', text: 'c.home_store_id::text' },
  { field: 'status', text: 'c.status::text' },
  { field: 'dataVerifiedAt', text: isoTime('c.data_verified_at') },
  { field: 'createdAt', text: isoTime('c.created_at') },
  { field: 'updatedAt', text: isoTime('c.updated_at') },
];

/** The Customer entity's columns as its property names (a GraphQL page hydrates Customer objects from them). */
const ENTITY_SELECT = [
  'c.id', 'c.chain_id AS "chainId"', 'c.home_store_id AS "homeStoreId"', 'c.first_name AS "firstName"', 'c.last_name AS "lastName"',
  `to_char(c.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth"`, 'c.sex', 'c.address_line1 AS "addressLine1"', 'c.address_line2 AS "addressLine2"',
  'c.city', 'c.postcode', 'c.country', 'c.phone', 'c.email', 'c.status', 'c.data_verified_at AS "dataVerifiedAt"', 'c.data_verified_by_id AS "dataVerifiedById"',
  'c.created_at AS "createdAt"', 'c.updated_at AS "updatedAt"',
].join(', ');

export interface ListQuery {
  chainId: string;
  channel: ConsentChannel;
  ability: AppAbility;
  /** Narrow to these home stores (already checked to be in the list scope); null or empty: the whole scope. */
  storeIds: readonly string[] | null;
}

/** A statement with named parameters: `positional()` for a parameterised query, `inlined()` for COPY. */
export interface ListStatement {
  sql: string;
  params: SqlParams;
}

export function positional(statement: ListStatement): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  return { text: statement.params.positional(statement.sql, values), values };
}

export function inlined(statement: ListStatement): string {
  return statement.params.inlined(statement.sql);
}

/**
 * The considered customers with `excluded_by` (the first rule they fail, null when included) beside `select`.
 * Every rule's test sits in one CASE, in the contract's order, so a customer counts under exactly one rule.
 */
function considered(query: ListQuery, params: SqlParams, select: string, materialized = false, ordered = false): string {
  const chainId = params.place(query.chainId);
  const channel = params.place(query.channel);
  const scope = listScopeSql(query.ability, CUSTOMER, params);
  const stores = query.storeIds && query.storeIds.length > 0 ? `AND c.home_store_id = ANY(${params.place([...query.storeIds])}::uuid[])` : '';
  const emailHash = emailHashSql('c.email', 'c.chain_id', KEY_SQL);
  const phoneHash = phoneHashSql('c.phone', 'c.chain_id', KEY_SQL);
  // Suppressions are hashed at read time (a re-created customer is still suppressed): the contact hashes are
  // computed only when the chain has suppressions at all, and looked up in one hashed set.
  return `WITH considered AS ${materialized ? 'MATERIALIZED ' : ''}(
  SELECT ${select},
    CASE
      WHEN NOT ch.enabled THEN '${MarketingListRule.CHANNEL_DISABLED}'
      WHEN c.status <> 'ACTIVE' THEN '${MarketingListRule.INACTIVE}'
      WHEN pr.restricted IS TRUE THEN '${MarketingListRule.RESTRICTED}'
      WHEN mo.customer_id IS NOT NULL
        OR (sup.any_email AND ${emailHash} IN (SELECT ms.email_hash FROM marketing_suppression ms WHERE ms.chain_id = ${chainId}::uuid AND ms.email_hash IS NOT NULL))
        OR (sup.any_phone AND ${phoneHash} IN (SELECT ms.phone_hash FROM marketing_suppression ms WHERE ms.chain_id = ${chainId}::uuid AND ms.phone_hash IS NOT NULL))
        THEN '${MarketingListRule.OBJECTED}'
      WHEN k.id IS NULL THEN '${MarketingListRule.NO_CONSENT}'
      WHEN NOT k.granted THEN '${MarketingListRule.WITHDRAWN}'
      WHEN NOT ${CONTACT_PRESENT[query.channel]} THEN '${MarketingListRule.NO_CONTACT_DETAIL}'
    END AS excluded_by
  FROM customer c
  CROSS JOIN (SELECT coalesce(bool_or(${channel}::consent_channel = ANY(x.enabled_consent_channels)), FALSE) AS enabled
                FROM chain x WHERE x.id = ${chainId}::uuid) ch
  CROSS JOIN (SELECT coalesce(bool_or(ms.email_hash IS NOT NULL), FALSE) AS any_email, coalesce(bool_or(ms.phone_hash IS NOT NULL), FALSE) AS any_phone
                FROM marketing_suppression ms WHERE ms.chain_id = ${chainId}::uuid) sup
  LEFT JOIN processing_restriction pr ON pr.customer_id = c.id
  LEFT JOIN (SELECT DISTINCT o.customer_id FROM marketing_objection o WHERE o.chain_id = ${chainId}::uuid) mo ON mo.customer_id = c.id
  LEFT JOIN consent k ON k.customer_id = c.id AND k.channel = ${channel}::consent_channel
  WHERE c.chain_id = ${chainId}::uuid AND ${scope} ${stores}${ordered ? '\n  ORDER BY c.id' : ''}
)`;
}

/**
 * One row: considered, included, one count per rule (named as the rule), content_hash and taken_at (the
 * snapshot's now()). The considered rows are materialised once, so each customer's rules are evaluated once.
 */
export function manifestStatement(query: ListQuery): ListStatement {
  const params = new SqlParams();
  const sql = `${considered(query, params, 'c.id', true)}
SELECT ${MANIFEST_COLUMNS}
FROM considered`;
  return { sql, params };
}

/** The manifest's columns, aggregated over `considered` (id, excluded_by). */
const MANIFEST_COLUMNS = `count(*)::int AS considered,
  count(*) FILTER (WHERE excluded_by IS NULL)::int AS included,
  ${MARKETING_LIST_RULES.map(({ rule }) => `count(*) FILTER (WHERE excluded_by = '${rule}')::int AS "${rule}"`).join(',\n  ')},
  encode(sha256(convert_to(coalesce(string_agg(id::text || E'\\n', '' ORDER BY id) FILTER (WHERE excluded_by IS NULL), ''), 'UTF8')), 'hex') AS content_hash,
  now() AS taken_at`;

/** Up to `limit` included customers after `afterId` (exclusive) in id order, as Customer entity columns. */
export function pageStatement(query: ListQuery, afterId: string | null, limit: number): ListStatement {
  const params = new SqlParams();
  const cte = considered(query, params, ENTITY_SELECT);
  const after = afterId ? `AND id > ${params.place(afterId)}::uuid` : '';
  return { sql: `${cte}\nSELECT * FROM considered WHERE excluded_by IS NULL ${after} ORDER BY id LIMIT ${Math.trunc(limit)}`, params };
}

export type ExportFormat = 'csv' | 'ndjson';

/** The export's columns: the Customer fields the caller may read on some customer, in EXPORT_FIELDS order. */
export function exportColumns(ability: AppAbility): string[] {
  return exportableCustomerFields(ability, EXPORT_FIELDS.map((f) => f.field));
}

/** An export statement and what its NDJSON rows carry (src/services/marketing/ndjson-lines.ts turns them into lines). */
export interface ExportStatement extends ListStatement {
  /** The export columns, in EXPORT_FIELDS order. */
  fields: string[];
  /** NDJSON: per field, the bit of the row's `mask` set when the field is readable at that row (CSV: unused). */
  maskBits: number[];
}

/**
 * The whole list for COPY in ONE pass over the rules: the considered customers (their rows and `excluded_by`) are
 * materialised once, in id order; the statement's first row is the manifest over them (as JSON in the first
 * column: `MANIFEST_ROW_KEYS`, read by src/services/marketing/marketing-export.ts before anything is sent), then
 * the included customers in id order. Every field is empty (NULL) where the caller may not read it at that
 * customer's store. CSV: one column per export column. NDJSON (COPY text): a `manifest` column (the first row
 * only), a `mask` column (one bit per distinct readability condition, `maskBits`), then the export columns; the
 * server writes the JSON lines from them (fields not readable at a row left out, readable nulls kept as null).
 *
 * Order: the outer query has no ORDER BY. Its UNION ALL is a plain (non-parallel: a CTE scan is parallel
 * restricted) Append, which returns its first branch (the manifest row) and then its second, and the second scans
 * the materialised CTE in the order it was written (`ORDER BY c.id`). An ORDER BY there made PostgreSQL sort the
 * whole list again on disk (about a quarter of the export's time, npm run bench:marketing); the export fails
 * loudly if the first row is not the manifest, and the tests check the id order.
 */
export function exportStatement(query: ListQuery, format: ExportFormat): ExportStatement {
  const params = new SqlParams();
  const columns = exportColumns(query.ability);
  const fields = EXPORT_FIELDS.filter((f) => columns.includes(f.field));
  const manifest = `(SELECT json_build_object(${MANIFEST_ROW_KEYS.map((k) => `'${k}', m."${k}"`).join(', ')})::text
    FROM (SELECT ${MANIFEST_COLUMNS} FROM considered) m)`;
  // Fields whose readability is the same condition share one test (and, for NDJSON, one bit of the mask).
  const conditions: string[] = [];
  const groupOf = fields.map((f) => {
    const scratch = new SqlParams();
    const text = scratch.inlined(readableCustomerFieldSql(query.ability, f.field, CUSTOMER, scratch));
    if (!conditions.includes(text)) conditions.push(text);
    return conditions.indexOf(text);
  });
  const condition = (group: number) => readableCustomerFieldSql(query.ability, fields[groupOf.indexOf(group)].field, CUSTOMER, params);
  const values = fields.map((f, i) => `CASE WHEN ${condition(groupOf[i])} THEN ${f.text} END AS "${f.field}"`);
  const names = fields.map((f) => `"${f.field}"`);
  let first: string;
  let rows: string;
  let outer: string;
  if (format === 'csv') {
    const header = fields.length ? names : ['"id"'];
    first = [`${manifest} AS ${header[0]}`, ...header.slice(1).map((n) => `NULL::text AS ${n}`)].join(', ');
    rows = fields.length ? values.join(', ') : 'NULL::text AS "id"';
    outer = header.join(', ');
  } else {
    const mask = conditions.length ? conditions.map((_c, group) => `CASE WHEN ${condition(group)} THEN ${2 ** group} ELSE 0 END`).join(' | ') : '0';
    first = [`${manifest} AS manifest`, 'NULL::int AS mask', ...names.map((n) => `NULL::text AS ${n}`)].join(', ');
    rows = ['NULL::text AS manifest', `(${mask}) AS mask`, ...values].join(', ');
    outer = ['manifest', 'mask', ...names].join(', ');
  }
  // The considered customers carry the customer's own columns, so the rules are evaluated once and the fields are
  // formatted (and checked per store) only for the included ones: the outer query reads the CTE as `c`.
  const sql = `${considered(query, params, 'c.*', true, true)}
SELECT ${outer} FROM (
  SELECT ${first}
  UNION ALL
  SELECT ${rows} FROM considered c WHERE c.excluded_by IS NULL
) x`;
  return { sql, params, fields: fields.map((f) => f.field), maskBits: groupOf.map((group) => 2 ** group) };
}

/** The keys of the manifest row (the export's first row, as JSON): the manifest statement's columns. */
export const MANIFEST_ROW_KEYS: readonly string[] = ['considered', 'included', ...MARKETING_LIST_RULES.map(({ rule }) => rule), 'content_hash', 'taken_at'];

/** Wraps an export statement for COPY: CSV with a header row; NDJSON's columns as COPY text (tab-separated, `\N` for NULL). */
export function copyStatement(statement: ListStatement, format: ExportFormat): string {
  const options = format === 'csv' ? `FORMAT csv, HEADER true` : `FORMAT text`;
  return `COPY (${inlined(statement)}) TO STDOUT WITH (${options})`;
}
