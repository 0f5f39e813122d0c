/**
 * Reading a marketing list inside one read snapshot (src/db/read-snapshot.ts), shared by the `marketingList`
 * query and the streamed export: binding the suppression key, checking the `storeIds` filter against the
 * caller's list scope (NOT_FOUND outside it: existence is not disclosed) and reading the manifest.
 */
import { Config } from '../../config/config';
import { ReadSnapshot } from '../../db/read-snapshot';
import { notFound } from '../../errors/errors';
import { AppAbility } from '../../policies/ability';
import { LIST_SCOPE_STORE_COLUMNS, listScopeSql } from '../../policies/marketing-list-scope';
import { SqlParams } from '../../policies/sql-condition';
import { ConsentChannel, MarketingListRule } from '../../schema/enums';
import { BIND_SUPPRESSION_KEY_SQL, ListQuery, MARKETING_LIST_RULES, manifestStatement, positional } from './marketing-list-sql';

/** The manifest of a list, as the GraphQL type and the export's header/trailer carry it. */
export interface Manifest {
  channel: ConsentChannel;
  takenAt: Date;
  rules: string[];
  considered: number;
  included: number;
  excluded: { rule: MarketingListRule; count: number }[];
  contentHash: string;
}

export async function bindSuppressionKey(snapshot: ReadSnapshot, config: Config): Promise<void> {
  await snapshot.query(BIND_SUPPRESSION_KEY_SQL, [config.suppressionKey.toString('hex')]);
}

/**
 * The distinct store ids of the filter, each a store of the chain in the caller's list scope (export
 * MarketingList and read Customer there); NOT_FOUND (Store) otherwise. Ids must already be UUIDs.
 */
export async function storesInScope(snapshot: ReadSnapshot, ability: AppAbility, chainId: string, storeIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(storeIds.map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const params = new SqlParams();
  const sql = `SELECT s.id::text AS id FROM store s
    WHERE s.chain_id = ${params.place(chainId)}::uuid AND s.id = ANY(${params.place(wanted)}::uuid[])
      AND ${listScopeSql(ability, LIST_SCOPE_STORE_COLUMNS, params)}`;
  const values: unknown[] = [];
  const found = await snapshot.query<{ id: string }>(params.positional(sql, values), values);
  if (found.length !== wanted.length) throw notFound('Store');
  return wanted;
}

export interface ManifestRow extends Record<MarketingListRule, number> {
  considered: number;
  included: number;
  content_hash: string;
  taken_at: Date;
}

export async function readManifest(snapshot: ReadSnapshot, query: ListQuery): Promise<Manifest> {
  const { text, values } = positional(manifestStatement(query));
  const [row] = await snapshot.query<ManifestRow>(text, values);
  return manifestFromRow(query, row);
}

/** A manifest from the manifest statement's row (or the export's first row, parsed from JSON). */
export function manifestFromRow(query: ListQuery, row: Omit<ManifestRow, 'taken_at'> & { taken_at: Date | string }): Manifest {
  return {
    channel: query.channel,
    takenAt: new Date(row.taken_at),
    rules: MARKETING_LIST_RULES.map(({ rule, requires }) => `${rule}: ${requires}`),
    considered: row.considered,
    included: row.included,
    excluded: MARKETING_LIST_RULES.map(({ rule }) => ({ rule, count: row[rule] })),
    contentHash: row.content_hash,
  };
}
