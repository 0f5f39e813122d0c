/**
 * The daily backup schedule (BACKUP_CRON, off by default), run by `npm start`'s primary process only (src/main.ts;
 * cluster workers never schedule): at each matching minute, `npm run backup`'s dump (dump.ts) into BACKUP_DIR, then,
 * when this host holds the identity (BACKUP_IDENTITY_FILE, or the embedded default's generated one), `backup:verify`
 * (verify.ts, a throwaway embedded PostgreSQL). Without the identity it backs up only and says so: verify where the
 * identity is (docs/security-operations.md "Schedule"). A failed backup or verification is logged and raised as a
 * BACKUP_VERIFICATION_FAILED security event (no user) in every chain. Runs never overlap.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { recordSystemEvent } from '../audit/security-event-log';
import type { DatabasePair } from '../db/bootstrap';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { SecurityEventKind } from '../schema/enums';
import { BackupKeys, readIdentity } from './age';
import type { CronSchedule } from './cron';
import { createBackup } from './dump';
import { verifyArchive } from './verify';

export interface BackupScheduleOptions {
  cron: CronSchedule;
  owner: DatabasePair;
  keys: BackupKeys;
  dir: string;
  appRole: string;
  /** The backup tool (dump.ts's options: BACKUP_PG_DUMP). */
  pgDump?: string;
  /** Verify on this server (scratch databases) instead of a throwaway embedded PostgreSQL (verify.ts's adminUrl). */
  verifyAdminUrl?: string;
}

export interface BackupRunOutcome { ok: boolean; file?: string; verified: boolean; problem?: string; eventsRaised: number }

export interface RunningSchedule { stop(): void; next(): Date | undefined }

/** The events' insert, as the databases' owner (the primary process has no application pool of its own in cluster mode). */
async function raiseFailure(owner: DatabasePair): Promise<number> {
  const client = new Client({ connectionString: owner.core, application_name: 'visus-backup-schedule' });
  await client.connect();
  try {
    return await recordSystemEvent(async (sql, params) => (await client.query(sql, params)).rows, SecurityEventKind.BACKUP_VERIFICATION_FAILED);
  } finally {
    await client.end();
  }
}

/** One scheduled run: backup, verify when the identity is here, and a security event when either fails. */
export async function runScheduledBackup(options: Omit<BackupScheduleOptions, 'cron'>, now = new Date()): Promise<BackupRunOutcome> {
  const file = path.join(options.dir, `visus-backup-${now.toISOString().replace(/[:.]/g, '-')}.age`);
  let stage = 'backup';
  try {
    fs.mkdirSync(options.dir, { recursive: true });
    const started = Date.now();
    const m = await createBackup(options.owner, file, options.keys.recipients, { pgDump: options.pgDump });
    logger.info({ file, bytes: m.archiveBytes, tables: m.tables.length, ms: Date.now() - started }, 'scheduled backup written');
    if (!options.keys.identityFile) {
      logger.warn({ file }, 'scheduled backup not verified here: no BACKUP_IDENTITY_FILE on this host; run npm run backup:verify where the identity is');
      return { ok: true, file, verified: false, eventsRaised: 0 };
    }
    stage = 'verification';
    const report = await verifyArchive(file, readIdentity(options.keys.identityFile), { appRole: options.appRole, adminUrl: options.verifyAdminUrl, pgDump: options.pgDump });
    if (report.ok) {
      logger.info({ file, ms: Date.now() - started }, 'scheduled backup verified: PASS');
      return { ok: true, file, verified: true, eventsRaised: 0 };
    }
    return await failed(options.owner, file, stage, report.differences.join('; '));
  } catch (error) {
    return failed(options.owner, fs.existsSync(file) ? file : undefined, stage, safeErrorMessage(error));
  }
}

async function failed(owner: DatabasePair, file: string | undefined, stage: string, problem: string): Promise<BackupRunOutcome> {
  let eventsRaised = 0;
  try {
    eventsRaised = await raiseFailure(owner);
  } catch (error) {
    logger.error({ err: safeErrorMessage(error) }, 'could not raise the BACKUP_VERIFICATION_FAILED security event');
  }
  logger.error({ file, stage, problem, eventsRaised, kind: SecurityEventKind.BACKUP_VERIFICATION_FAILED }, `scheduled ${stage} failed`);
  return { ok: false, file, verified: false, problem: `${stage}: ${problem}`, eventsRaised };
}

/** Arms the schedule; each run starts at the next matching minute after the previous run ended (no overlap). */
export function startBackupSchedule(options: BackupScheduleOptions): RunningSchedule {
  let timer: NodeJS.Timeout | undefined;
  let due: Date | undefined;
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    due = options.cron.nextRun(new Date());
    // setTimeout's limit is ~24.8 days: a longer wait re-arms on the way.
    const wait = Math.min(due.getTime() - Date.now(), 2 ** 31 - 1);
    timer = setTimeout(() => {
      if (Date.now() < due!.getTime() - 1000) return arm();
      void runScheduledBackup(options).finally(arm);
    }, Math.max(wait, 0));
    timer.unref();
  };
  arm();
  logger.info({ cron: options.cron.expression, next: due?.toISOString(), verify: Boolean(options.keys.identityFile) }, 'backup schedule armed');
  return { stop: () => { stopped = true; clearTimeout(timer); }, next: () => due };
}
