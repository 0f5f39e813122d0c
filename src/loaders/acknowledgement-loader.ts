/**
 * Loads reviewers' acknowledgements (of security events, of emergency accesses) by item id, batched per
 * request. Writing one is src/services/audit/acknowledgements.ts.
 */
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { ReviewAcknowledgement } from '../schema/core/review-acknowledgement.entity';
import { ReviewItemKind } from '../schema/enums';

/** The acknowledgements of the given items of one chain, by item id. */
export async function acknowledgementsFor(manager: EntityManager, chainId: string, kind: ReviewItemKind, itemIds: readonly string[]): Promise<Map<string, ReviewAcknowledgement>> {
  if (itemIds.length === 0) return new Map();
  const rows = await manager.getRepository(ReviewAcknowledgement).createQueryBuilder('a')
    .where('a.chainId = :chainId AND a.itemKind = :kind AND a.itemId IN (:...ids)', { chainId, kind, ids: [...itemIds] })
    .getMany();
  return new Map(rows.map((row) => [row.itemId, row]));
}

/** A per-request loader of acknowledgements by item id (null: not acknowledged, or no signed-in chain). */
export function acknowledgementLoader(core: DataSource, chainId: string | null, kind: ReviewItemKind): DataLoader<string, ReviewAcknowledgement | null> {
  return new DataLoader(async (itemIds) => {
    if (!chainId) return itemIds.map(() => null);
    const found = await acknowledgementsFor(core.manager, chainId, kind, itemIds);
    return itemIds.map((id) => found.get(id) ?? null);
  });
}
