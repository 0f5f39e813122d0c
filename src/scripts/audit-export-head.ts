/**
 * `npm run audit:export-head`: prints the current head of each chain of the clinical access log and of the
 * personal and clinical data change logs as JSON (`[{ log, chainId, seq, hash, exportedAt }]`, `log` being
 * `clinical_access_log`, `personal_change_log` or `clinical_change_log`), to keep outside the database
 * (e.g. > heads.json, then `npm run audit:verify -- --head heads.json` detects entries cut from the end
 * since; a file from before the change logs, without `log`, still verifies the access log). Run
 * `npm run audit:verify` first: exporting the head of a chain already tampered with vouches for it.
 */
import 'reflect-metadata';
import { CHANGE_LOGS, exportChangeLogHeads } from '../hash-chain/change-log-chain';
import { exportHeads } from '../hash-chain/verify-chain';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource } from '../db/data-sources';
import { logger } from '../logging/logger';

// The application log also goes to standard output: keep it quiet here so that standard output carries only the JSON.
if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function main(): Promise<void> {
  const { app, owner, embedded } = await resolveDatabaseUrls(loadConfig());
  // Read as the owner when known (whatever the application role's grants), else as the application role
  // (resolveDatabaseUrls gives at least one of them).
  const urls = (owner ?? app)!;
  const core = createDataSource('core', urls.core);
  const clinical = createDataSource('clinical', urls.clinical);
  try {
    await clinical.initialize();
    await core.initialize();
    const now = new Date();
    const heads: object[] = (await exportHeads(clinical, now)).map((head) => ({ log: 'clinical_access_log', ...head }));
    for (const log of CHANGE_LOGS) heads.push(...await exportChangeLogHeads(log.database === 'core' ? core : clinical, log, now));
    console.log(JSON.stringify(heads, null, 2));
  } finally {
    if (core.isInitialized) await core.destroy();
    if (clinical.isInitialized) await clinical.destroy();
    if (embedded) await embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
