/**
 * The anomaly rules, checked for one user of one chain over the chain's sliding window
 * (AuditSettings.anomalyWindowMinutes), from the clinical access log:
 * - BULK_CLINICAL_READS: distinct customers with GRANTED entries on clinical subjects (catalog
 *   subjects with `clinical: true`) above `anomalyDistinctCustomers`;
 * - BULK_EXPORTS: distinct customers with GRANTED entries on export subjects (src/audit/export-subjects.ts)
 *   above `anomalyExportCustomers`.
 * Denied reads do not count. One query on the (chain, user, occurred_at) index counts both; an event is
 * raised only when a count exceeds its threshold (src/audit/security-event-log.ts dedupes per window).
 */
import { DataSource } from 'typeorm';
import { CLINICAL_SUBJECTS } from '../policies/catalog';
import { SecurityEventKind } from '../schema/enums';
import { logger } from '../server/logger';
import { auditSettingsFor } from './audit-settings';
import { EXPORT_SUBJECTS } from './export-subjects';
import { raiseSecurityEvent } from './security-event-log';

interface WindowCounts {
  windowStart: Date;
  windowEnd: Date;
  reads: number;
  exports: number;
}

/**
 * Entries that count as reading clinical values: the clinical subjects, and DataChangeEntry (the change log's
 * review logs an entry for every clinical value it returns: before/after values of examinations, notes…).
 */
export const CLINICAL_VALUE_SUBJECTS: readonly string[] = [...CLINICAL_SUBJECTS, 'DataChangeEntry'];

/** Checks one user; returns the ids of the events it raised. */
export async function checkUserForAnomalies(core: DataSource, clinical: DataSource, chainId: string, userId: string): Promise<string[]> {
  const settings = await auditSettingsFor(core.manager, chainId);
  const [counts]: WindowCounts[] = await clinical.query(
    `SELECT now() - make_interval(mins => $3::int) AS "windowStart", now() AS "windowEnd",
            count(DISTINCT customer_id) FILTER (WHERE subject = ANY($4::text[]))::int AS reads,
            count(DISTINCT customer_id) FILTER (WHERE subject = ANY($5::text[]))::int AS exports
       FROM clinical_access_log_entry
      WHERE chain_id = $1 AND user_id = $2 AND occurred_at >= now() - make_interval(mins => $3::int) AND outcome = 'GRANTED'`,
    [chainId, userId, settings.anomalyWindowMinutes, CLINICAL_VALUE_SUBJECTS, EXPORT_SUBJECTS],
  );
  const rules = [
    { kind: SecurityEventKind.BULK_CLINICAL_READS, observedCount: counts.reads, threshold: settings.anomalyDistinctCustomers },
    { kind: SecurityEventKind.BULK_EXPORTS, observedCount: counts.exports, threshold: settings.anomalyExportCustomers },
  ];
  const raised: string[] = [];
  for (const rule of rules) {
    if (rule.observedCount <= rule.threshold) continue;
    const id = await raiseSecurityEvent(core, { chainId, userId, windowStart: counts.windowStart, windowEnd: counts.windowEnd, ...rule });
    if (!id) continue;
    raised.push(id);
    logger.warn({ chainId, userId, eventId: id, kind: rule.kind, observedCount: rule.observedCount, threshold: rule.threshold }, 'security event raised');
  }
  return raised;
}
