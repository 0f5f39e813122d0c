/**
 * Acknowledgements of reviewable items (security events now, emergency accesses later): one per item,
 * with who, when and a note (1-1000 characters), append-only in `review_acknowledgement`.
 *
 * Reuse: the caller first finds the item as the reviewer may see it (NOT_FOUND otherwise) and checks
 * their permission to acknowledge it, then calls `acknowledge` inside its transaction. A second
 * acknowledgement of the same item is BAD_USER_INPUT (also under concurrency: the unique index on
 * (kind, item id) decides), and nobody acknowledges an item about themselves. `acknowledgementsFor`
 * and `acknowledgementLoader` read them back by item ids.
 */
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../errors/errors';
import { Principal } from '../policies/ability';
import { assertNotOwnItem } from '../policies/self-review-guard';
import { ReviewAcknowledgement } from '../schema/core/review-acknowledgement.entity';
import { ReviewItemKind } from '../schema/enums';
import { unsafeTextProblem } from './audit-text';

export const NOTE_MAX_LENGTH = 1000;

export interface AcknowledgeOptions {
  /** The user the item is about (e.g. whose reads raised the event): they may not acknowledge it. */
  aboutUserId?: string | null;
  /** Input paths named by BAD_USER_INPUT (default `id` and `note`). */
  idField?: string;
  noteField?: string;
}

/** The note, trimmed; BAD_USER_INPUT unless it has 1 to 1000 characters. */
export function cleanNote(note: string | null | undefined, field = 'note'): string {
  const trimmed = (note ?? '').trim();
  if (trimmed.length < 1 || trimmed.length > NOTE_MAX_LENGTH) throw badInput(field, `must be 1 to ${NOTE_MAX_LENGTH} characters`);
  const unsafe = unsafeTextProblem(trimmed);
  if (unsafe) throw badInput(field, unsafe);
  return trimmed;
}

export async function acknowledge(
  tx: EntityManager,
  principal: Principal,
  kind: ReviewItemKind,
  itemId: string,
  note: string | null | undefined,
  options: AcknowledgeOptions = {},
): Promise<ReviewAcknowledgement> {
  const text = cleanNote(note, options.noteField);
  assertNotOwnItem(principal, options.aboutUserId);
  const inserted: { id: string; acknowledgedAt: Date }[] = await tx.query(
    `INSERT INTO review_acknowledgement (chain_id, item_kind, item_id, acknowledged_by_id, note) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (item_kind, item_id) DO NOTHING RETURNING id::text AS id, acknowledged_at AS "acknowledgedAt"`,
    [principal.chainId, kind, itemId, principal.userId, text],
  );
  if (inserted.length === 0) throw badInput(options.idField ?? 'id', 'is already acknowledged');
  return Object.assign(new ReviewAcknowledgement(), {
    id: inserted[0].id, chainId: principal.chainId, itemKind: kind, itemId, acknowledgedById: principal.userId,
    acknowledgedAt: inserted[0].acknowledgedAt, note: text,
  });
}

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
