/**
 * Regions of the caller's chain that the caller may read, filtered in SQL: a `read Region` rule applies to a
 * region when its conditions hold for the chain and at least one of the region's stores (a chain-wide rule: every
 * region, also one without stores; a rule for Leeds: region North). Ordered by name where every visible name is
 * readable, else by id.
 */
import { AppAbility } from '../policies/ability';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { REGION_STORE_IDS_SQL, regionView } from '../loaders/region-loaders';
import { Region } from '../schema/core/region.entity';
import { AuthenticatedContext } from '../context/authenticated-context';

/**
 * SQL (over `region r`): the caller may read the region. The rule conditions are tested against each of its
 * stores (`x.id`) and one row with no store (NULL), so a chain-wide rule also shows a region without stores
 * while a store-confined one (`x.id = ANY(…)`) never matches the NULL row.
 */
function readableRegionSql(ability: AppAbility, params: SqlParams): string {
  const condition = accessibleSql(ability, 'read', 'Region', { chainId: 'r.chain_id', storeId: 'x.id', id: 'r.id' }, params);
  return `EXISTS (SELECT 1 FROM (SELECT NULL::uuid AS id UNION ALL SELECT s.id FROM store s WHERE s.region_id = r.id) x WHERE ${condition})`;
}

export async function listRegions(ctx: AuthenticatedContext): Promise<Region[]> {
  const { principal, ability } = ctx;
  const params = new SqlParams();
  const values: unknown[] = [principal.chainId];
  const where = params.positional(readableRegionSql(ability, params), values);
  const order = sortableBy(ability, 'Region', 'name') ? 'r.name, r.id' : 'r.id';
  const rows = await ctx.core.query(
    `SELECT r.id, r.chain_id AS "chainId", r.name, ${REGION_STORE_IDS_SQL} AS "storeId"
       FROM region r WHERE r.chain_id = $1 AND ${where} ORDER BY ${order}`,
    values,
  );
  return rows.map(regionView);
}
