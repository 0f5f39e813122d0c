/**
 * Raises security events: at most one per chain, user and kind per window. Two events of one user
 * and kind never have overlapping windows, so a user who keeps reading after an alert raises no
 * second one until a whole window has passed since the first one's end. Concurrent raisers (other
 * requests, other API processes) are serialised by a transaction-scoped advisory lock per
 * (chain, user, kind), so they cannot both insert.
 */
import { DataSource } from 'typeorm';
import { SecurityEventKind } from '../schema/enums';

export interface SecurityEventDraft {
  chainId: string;
  userId: string;
  kind: SecurityEventKind;
  windowStart: Date;
  windowEnd: Date;
  observedCount: number;
  threshold: number;
}

/** Inserts the event unless the user already has one of this kind whose window overlaps; returns its id, or null. */
export async function raiseSecurityEvent(core: DataSource, draft: SecurityEventDraft): Promise<string | null> {
  return core.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`security_event|${draft.chainId}|${draft.userId}|${draft.kind}`]);
    const open: unknown[] = await tx.query(
      'SELECT 1 FROM security_event WHERE chain_id = $1 AND user_id = $2 AND kind = $3 AND window_end > $4 LIMIT 1',
      [draft.chainId, draft.userId, draft.kind, draft.windowStart],
    );
    if (open.length > 0) return null;
    const [{ id }]: { id: string }[] = await tx.query(
      `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
      [draft.chainId, draft.kind, draft.userId, draft.windowStart, draft.windowEnd, draft.observedCount, draft.threshold],
    );
    return id;
  });
}
