/**
 * Raises security events: at most one per chain, user, kind and level. An event is not inserted when the
 * user already has one of this kind, at this threshold or a higher one, whose window overlaps the draft's:
 * a user who keeps reading after an alert raises the next one only at a higher threshold (the escalation of
 * src/audit/anomaly-check.ts), or, once an episode is over, afresh. Concurrent raisers (other requests, other
 * API processes) are serialised by a transaction-scoped advisory lock per (chain, user, kind), so they cannot
 * both insert.
 */
import { DataSource, EntityManager } from 'typeorm';
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

/** Serialises raisers of one (chain, user, kind) until the transaction ends. */
export async function lockSecurityEvents(tx: EntityManager, chainId: string, userId: string, kind: SecurityEventKind): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`security_event|${chainId}|${userId}|${kind}`]);
}

/** Inserts the event unless the user already has one of this kind and level (or higher) whose window overlaps; returns its id, or null. Call under the lock. */
export async function insertSecurityEvent(tx: EntityManager, draft: SecurityEventDraft): Promise<string | null> {
  const open: unknown[] = await tx.query(
    'SELECT 1 FROM security_event WHERE chain_id = $1 AND user_id = $2 AND kind = $3 AND window_end > $4 AND threshold >= $5 LIMIT 1',
    [draft.chainId, draft.userId, draft.kind, draft.windowStart, draft.threshold],
  );
  if (open.length > 0) return null;
  const [{ id }]: { id: string }[] = await tx.query(
    `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
    [draft.chainId, draft.kind, draft.userId, draft.windowStart, draft.windowEnd, draft.observedCount, draft.threshold],
  );
  return id;
}

/** Takes the lock and inserts the event (see insertSecurityEvent); returns its id, or null. */
export async function raiseSecurityEvent(core: DataSource, draft: SecurityEventDraft): Promise<string | null> {
  return core.transaction(async (tx) => {
    await lockSecurityEvents(tx, draft.chainId, draft.userId, draft.kind);
    return insertSecurityEvent(tx, draft);
  });
}

/**
 * A protection was weakened (src/services/audit/audit-settings.ts): an event about the changer, in the change's own
 * transaction, one per setting; `threshold` holds the value before and `observedCount` the value after.
 */
export async function recordSettingWeakened(
  tx: EntityManager, draft: { chainId: string; userId: string; setting: string; before: number; after: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold, setting)
     VALUES ($1, $2, $3, now(), now(), $4, $5, $6)`,
    [draft.chainId, SecurityEventKind.SETTING_WEAKENED, draft.userId, draft.after, draft.before, draft.setting],
  );
}

/**
 * A system event (no user): one per chain, so that every chain's reviewers see it where they see security events
 * today. Used by the backup schedule (src/backup/schedule.ts) when the backup or its verification fails.
 */
export async function recordSystemEvent(query: (sql: string, params: unknown[]) => Promise<unknown[]>, kind: SecurityEventKind): Promise<number> {
  const rows = await query(
    `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold)
     SELECT id, $1, NULL, now(), now(), 0, 0 FROM chain RETURNING id`,
    [kind],
  );
  return rows.length;
}
