/**
 * The stores an assignment scope covers: none listed for the chain (it covers every store, now and
 * later), a region's stores, or the one store.
 */
import { EntityManager } from 'typeorm';
import { ScopeType } from '../../schema/enums';

export async function storesOfScope(
  tx: EntityManager,
  chainId: string,
  scope: { scopeType: ScopeType; regionId: string | null; storeId: string | null },
): Promise<string[] | null> {
  if (scope.scopeType === ScopeType.CHAIN) return null;
  if (scope.scopeType === ScopeType.STORE) return scope.storeId ? [scope.storeId] : [];
  const rows: { id: string }[] = await tx.query('SELECT id FROM store WHERE chain_id = $1 AND region_id = $2 ORDER BY id', [chainId, scope.regionId]);
  return rows.map((r) => r.id);
}
