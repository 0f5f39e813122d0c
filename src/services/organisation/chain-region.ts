/**
 * A region of the caller's chain by id, for the writes that name one (createStore, updateStore's `regionId`): an id
 * that is not a region of the caller's chain (another chain's, unknown, not a UUID) is NOT_FOUND, never disclosed.
 * Locked FOR SHARE until the write commits. With its stores' ids (the row scope the field guard needs).
 */
import { EntityManager } from 'typeorm';
import { notFound } from '../../errors/errors';
import { REGION_STORE_IDS_SQL, regionView } from '../../loaders/region-loaders';
import { Region } from '../../schema/core/region.entity';
import { isUuid } from '../../schema/uuid';

export async function findChainRegion(tx: EntityManager, chainId: string, id: string): Promise<Region> {
  if (!isUuid(id)) throw notFound('Region');
  const rows: { id: string; chainId: string; name: string; storeId: string[] }[] = await tx.query(
    `SELECT r.id, r.chain_id AS "chainId", r.name, ${REGION_STORE_IDS_SQL} AS "storeId"
       FROM region r WHERE r.id = $1 AND r.chain_id = $2 FOR SHARE OF r`,
    [id, chainId],
  );
  if (rows.length === 0) throw notFound('Region');
  return regionView(rows[0]);
}
