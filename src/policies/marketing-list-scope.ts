/**
 * Who may have whom on a marketing list, as SQL: the list scope (customers whose home store is one where the
 * ability allows both `export` MarketingList and `read` Customer), which Customer fields an export carries
 * (those the caller may read somewhere) and, per row, whether one of them is readable at that row's store.
 * Built on accessibleSql (sql-condition.ts), so the list is filtered in the database like every other list.
 * The marketing list's SQL (src/services/marketing/marketing-list-sql.ts) asks here and decides nothing itself.
 */
import { AppAbility } from './ability';
import { accessibleSql, ColumnMap, SqlParams } from './sql-condition';

/** The condition columns of a store `s` when asking whether its customers are in the list scope. */
export const LIST_SCOPE_STORE_COLUMNS: ColumnMap = { chainId: 's.chain_id', storeId: 's.id', id: 'NULL::uuid' };

/** Rows (customers, or stores with STORE columns) in the caller's list scope: export MarketingList AND read Customer there. */
export function listScopeSql(ability: AppAbility, columns: ColumnMap, params: SqlParams): string {
  const exportable = accessibleSql(ability, 'export', 'MarketingList', columns, params);
  const readable = accessibleSql(ability, 'read', 'Customer', columns, params);
  return `(${exportable} AND ${readable})`;
}

/** Whether `field` of the customer row is readable by the caller (a SQL boolean). */
export function readableCustomerFieldSql(ability: AppAbility, field: string, columns: ColumnMap, params: SqlParams): string {
  return accessibleSql(ability, 'read', 'Customer', columns, params, field);
}

/** The fields of `candidates` the caller may read on some customer (an export's columns), in the given order. */
export function exportableCustomerFields(ability: AppAbility, candidates: readonly string[]): string[] {
  return candidates.filter((field) => ability.can('read', 'Customer', field));
}

/** Whether the caller may export marketing lists anywhere at all (the route's 403). */
export function mayExportMarketingLists(ability: AppAbility): boolean {
  return ability.can('export', 'MarketingList');
}

/**
 * The rule reasons (role assignment ids) that let the caller export the marketing list for a customer row
 * (`{ chainId, storeId }`), for the clinical access log's export entries.
 */
export function exportGrants(ability: AppAbility, row: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  for (const rule of ability.rulesFor('export', 'MarketingList')) {
    if (rule.inverted || !rule.reason || !rule.matchesConditions(row)) continue;
    if (!reasons.includes(rule.reason)) reasons.push(rule.reason);
  }
  return reasons;
}
