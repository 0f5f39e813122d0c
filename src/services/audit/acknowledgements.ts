/**
 * Acknowledgements of reviewable items (security events now, emergency accesses later): one per item,
 * with who, when and a note (1-1000 characters), append-only in `review_acknowledgement`.
 *
 * Reuse: the caller first finds the item as the reviewer may see it (NOT_FOUND otherwise) and checks
 * their permission to acknowledge it, then calls `acknowledge` inside its transaction. A second
 * acknowledgement of the same item is BAD_USER_INPUT (also under concurrency: the unique index on
 * (kind, item id) decides), and nobody acknowledges an item about themselves. They are read back
 * by item ids in src/loaders/acknowledgement-loader.ts.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../../errors/errors';
import { Principal } from '../../policies/ability';
import { assertNotOwnItem } from '../../policies/self-review-guard';
import { ReviewAcknowledgement } from '../../schema/core/review-acknowledgement.entity';
import { ReviewItemKind } from '../../schema/enums';
import { unsafeTextProblem } from '../../audit/audit-text';

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
