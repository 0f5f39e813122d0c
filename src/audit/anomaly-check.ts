/**
 * The anomaly rules, checked for one user of one chain over the chain's sliding window
 * (AuditSettings.anomalyWindowMinutes), from the clinical access log:
 * - BULK_CLINICAL_READS: distinct customers with GRANTED entries on clinical subjects (catalog
 *   subjects with `clinical: true`) above `anomalyDistinctCustomers`;
 * - BULK_EXPORTS: distinct customers with GRANTED entries on export subjects (src/audit/export-subjects.ts),
 *   plus the rows of the user's streamed marketing list exports (`marketing_list_export`, route STREAM: a
 *   stream is logged as one row with its count, not per customer, so the same customer streamed twice counts
 *   twice: an upper bound, erring towards an alert), above `anomalyExportCustomers`.
 * Denied reads do not count. An alert does not stop the count: while an episode is open the rule counts since
 * its start and raises again at twice the last threshold (checkRule); src/audit/security-event-log.ts keeps
 * concurrent raisers to one event per level.
 */
import { DataSource, EntityManager } from 'typeorm';
import { CLINICAL_SUBJECTS } from '../policies/catalog';
import { SecurityEventKind } from '../schema/enums';
import { logger } from '../logging/logger';
import { auditSettingsFor } from './chain-audit-settings';
import { EXPORT_SUBJECTS, STREAMED_EXPORT_ROUTE } from './export-subjects';
import { insertSecurityEvent, lockSecurityEvents } from './security-event-log';

/**
 * Entries that count as reading clinical values: the clinical subjects, and DataChangeEntry (the change log's
 * review logs an entry for every clinical value it returns: before/after values of examinations, notes…).
 */
export const CLINICAL_VALUE_SUBJECTS: readonly string[] = [...CLINICAL_SUBJECTS, 'DataChangeEntry'];

interface Rule {
  kind: SecurityEventKind;
  subjects: readonly string[];
  threshold: number;
  /** Customers counted outside the access log since `since` (the streamed exports' rows). */
  extra?: (tx: EntityManager, chainId: string, userId: string, since: Date) => Promise<number>;
}

/** Rows of the user's streamed marketing list exports since `since` (completed or cut off: what left). */
async function streamedExportRows(tx: EntityManager, chainId: string, userId: string, since: Date): Promise<number> {
  const [row]: { rows: number }[] = await tx.query(
    `SELECT coalesce(sum(row_count), 0)::int AS rows FROM marketing_list_export
      WHERE chain_id = $1 AND user_id = $2 AND route = $3 AND occurred_at >= $4`,
    [chainId, userId, STREAMED_EXPORT_ROUTE, since],
  );
  return row.rows;
}

interface LatestEvent {
  windowStart: Date;
  windowEnd: Date;
  threshold: number;
}

/**
 * One rule for one user, under the (chain, user, kind) lock the raiser also takes. Without an open episode
 * (no event of this kind whose window ended less than a window ago) it counts the sliding window against the
 * chain's threshold. In an open episode it counts every distinct customer since the episode began and raises
 * again when that passes twice the last event's threshold (so 51, then 101, 201… customers for a threshold of
 * 50): a sustained sweep keeps raising events, each saying how far it has gone.
 */
async function checkRule(core: DataSource, clinical: DataSource, chainId: string, userId: string, windowMinutes: number, rule: Rule): Promise<string | null> {
  return core.transaction(async (tx) => {
    await lockSecurityEvents(tx, chainId, userId, rule.kind);
    const [latest]: LatestEvent[] = await tx.query(
      `SELECT window_start AS "windowStart", window_end AS "windowEnd", threshold FROM security_event
        WHERE chain_id = $1 AND user_id = $2 AND kind = $3 AND window_end > now() - make_interval(mins => $4::int)
        ORDER BY id DESC LIMIT 1`,
      [chainId, userId, rule.kind, windowMinutes],
    );
    const threshold = latest ? Math.max(latest.threshold * 2, rule.threshold) : rule.threshold;
    const [counts]: { since: Date; until: Date; observed: number }[] = await clinical.query(
      `SELECT coalesce($4::timestamptz, now() - make_interval(mins => $3::int)) AS since, now() AS until,
              count(DISTINCT customer_id)::int AS observed
         FROM clinical_access_log_entry
        WHERE chain_id = $1 AND user_id = $2 AND outcome = 'GRANTED' AND subject = ANY($5::text[])
          AND occurred_at >= coalesce($4::timestamptz, now() - make_interval(mins => $3::int))`,
      [chainId, userId, windowMinutes, latest?.windowStart ?? null, rule.subjects],
    );
    // On the check's own transaction: a second core connection per check could exhaust the pool under load.
    if (rule.extra) counts.observed += await rule.extra(tx, chainId, userId, counts.since);
    if (counts.observed <= threshold) return null;
    const id = await insertSecurityEvent(tx, {
      chainId, userId, kind: rule.kind, windowStart: counts.since, windowEnd: counts.until, observedCount: counts.observed, threshold,
    });
    if (id) logger.warn({ chainId, userId, eventId: id, kind: rule.kind, observedCount: counts.observed, threshold }, 'security event raised');
    return id;
  });
}

/** Checks one user; returns the ids of the events it raised. */
export async function checkUserForAnomalies(core: DataSource, clinical: DataSource, chainId: string, userId: string): Promise<string[]> {
  const settings = await auditSettingsFor(core.manager, chainId);
  const rules: Rule[] = [
    { kind: SecurityEventKind.BULK_CLINICAL_READS, subjects: CLINICAL_VALUE_SUBJECTS, threshold: settings.anomalyDistinctCustomers },
    { kind: SecurityEventKind.BULK_EXPORTS, subjects: EXPORT_SUBJECTS, threshold: settings.anomalyExportCustomers, extra: streamedExportRows },
  ];
  const raised: string[] = [];
  for (const rule of rules) {
    const id = await checkRule(core, clinical, chainId, userId, settings.anomalyWindowMinutes, rule);
    if (id) raised.push(id);
  }
  return raised;
}
