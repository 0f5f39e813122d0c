/**
 * The heads file of `npm run audit:export-head` / `audit:verify --head`, for every hash-chained log at once:
 * the clinical access log (untagged in files from before the change logs, tagged `clinical_access_log` since),
 * the personal and clinical data change logs (`personal_change_log`, `clinical_change_log`) and the security
 * settings history (`security_setting_change`). Exporting reads each log's chain heads; reading a file sorts its
 * heads by log (src/audit/change-log-chain.ts splitHeads and src/audit/verify-chain.ts parseHeads check them).
 */
import { CHANGE_LOGS, exportChangeLogHeads, splitHeads, TaggedHead } from './change-log-chain';
import { exportSecuritySettingHeads } from './security-setting-chain';
import { ChangeLogKind } from '../schema/enums';
import { exportHeads, parseHeads } from './verify-chain';
import { ExportedHead, Queryable } from './chain-report';

export const ACCESS_LOG_HEAD_TAG = 'clinical_access_log';
export const SECURITY_SETTINGS_HEAD_TAG = 'security_setting_change';

export interface AuditDatabases {
  core: Queryable;
  clinical: Queryable;
}

/** Every log's chain heads, each tagged with its log: what `audit:export-head` prints. */
export async function exportAllHeads(dbs: AuditDatabases, now: Date = new Date()): Promise<TaggedHead[]> {
  const heads: TaggedHead[] = (await exportHeads(dbs.clinical, now)).map((head) => ({ log: ACCESS_LOG_HEAD_TAG, ...head }));
  for (const log of CHANGE_LOGS) heads.push(...await exportChangeLogHeads(log.database === 'core' ? dbs.core : dbs.clinical, log, now));
  const settings = await exportSecuritySettingHeads(dbs.core);
  heads.push(...settings.map((head) => ({ log: SECURITY_SETTINGS_HEAD_TAG, ...head, exportedAt: now.toISOString() })));
  return heads;
}

/** A heads file's heads, by log. */
export interface HeadsByLog {
  accessLog: ExportedHead[];
  changeLogs: Map<ChangeLogKind, ExportedHead[]>;
  securitySettings: ExportedHead[];
  /** How many heads the file holds, and the latest export time it names (empty when none does). */
  count: number;
  exportedAt: string;
}

/** Parses an `audit:export-head` file (throws, naming the head, when one is malformed). */
export function readHeads(json: string): HeadsByLog {
  const parsed = JSON.parse(json) as unknown;
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const isSettings = (item: unknown): boolean => (item as { log?: unknown } | null)?.log === SECURITY_SETTINGS_HEAD_TAG;
  const split = splitHeads(JSON.stringify(items.filter((item) => !isSettings(item))));
  const securitySettings = parseHeads(JSON.stringify(items.filter(isSettings)));
  const accessLog = parseHeads(JSON.stringify(split.accessLog));
  const all = [...accessLog, ...securitySettings, ...[...split.changeLogs.values()].flat()];
  const exportedAt = all.map((h) => h.exportedAt).filter(Boolean).sort().pop() ?? '';
  return { accessLog, changeLogs: split.changeLogs, securitySettings, count: items.length, exportedAt };
}
