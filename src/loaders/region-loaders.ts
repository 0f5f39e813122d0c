/**
 * Per-request DataLoaders for regions: regions by id (with their stores' ids, the row scope the permission
 * model needs; see Region.storeId) and the stores of many regions at once, filtered in SQL by the caller's
 * `read Store` rules. One statement per loader and request, whatever the number of rows asking.
 */
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { AppAbility } from '../policies/ability';
import { sortableBy } from '../policies/sortable';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { Region } from '../schema/core/region.entity';
import { Store } from '../schema/core/store.entity';

/** SQL (over `region r`): the ids of the region's stores, the row scope of a region. */
export const REGION_STORE_IDS_SQL = 'ARRAY(SELECT s.id FROM store s WHERE s.region_id = r.id ORDER BY s.id)';

interface RegionRow {
  id: string;
  chainId: string;
  name: string;
  storeId: string[];
}

/** A region row as the API serves it (an entity with its row scope). */
export function regionView(row: RegionRow): Region {
  return Object.assign(new Region(), row);
}

export function regionLoaders(core: DataSource, scope: { chainId: string; ability: AppAbility } | null) {
  return {
    /** Regions of the caller's chain by id (the field guard then decides what of them may be read). */
    region: new DataLoader<string, Region | null>(async (ids) => {
      if (!scope) return ids.map(() => null);
      const rows = (await core.query(
        `SELECT r.id, r.chain_id AS "chainId", r.name, ${REGION_STORE_IDS_SQL} AS "storeId"
           FROM region r WHERE r.id = ANY($1::uuid[]) AND r.chain_id = $2`,
        [[...ids], scope.chainId],
      )) as RegionRow[];
      const byId = new Map(rows.map((row) => [row.id, regionView(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),

    /** The stores of regions, only those the caller may read. */
    storesOfRegion: new DataLoader<string, Store[]>(async (regionIds) => {
      if (!scope) return regionIds.map(() => []);
      const params = new SqlParams();
      const rows = await core.getRepository(Store).createQueryBuilder('s')
        .where('s.regionId IN (:...ids)', { ids: [...regionIds] })
        .andWhere('s.chainId = :chainId', { chainId: scope.chainId })
        .andWhere(accessibleSql(scope.ability, 'read', 'Store', { chainId: 's.chain_id', storeId: 's.id', id: 's.id' }, params), params.values)
        .orderBy(sortableBy(scope.ability, 'Store', 'name') ? 's.name' : 's.id').addOrderBy('s.id').getMany();
      return regionIds.map((id) => rows.filter((row) => row.regionId === id));
    }),
  };
}
