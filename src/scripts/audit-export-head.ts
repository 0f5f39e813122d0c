/**
 * `npm run -s audit:export-head > heads.json`: prints the current head of every chain of every hash-chained log
 * (the clinical access log, the personal and clinical data change logs, the security settings history) as JSON,
 * `[{ log, chainId, seq, hash, exportedAt }]` (src/audit/audit-heads.ts), and nothing else on standard output:
 * keep it outside the database, then `npm run audit:verify -- --head heads.json` finds entries cut from the end of a
 * log since (a file from before the change logs, without `log`, still verifies the access log). Run
 * `npm run audit:verify` first: exporting the head of a chain already tampered with vouches for it.
 */
import 'reflect-metadata';
import { exportAllHeads } from '../hash-chain/audit-heads';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource } from '../db/data-sources';
import { logger } from '../logging/logger';

// The application log goes to standard output (unless VISUS_LOG_FILE is set): silence it here, so that standard
// output is the JSON alone whatever LOG_LEVEL says. Failures are printed to standard error.
if (!process.env.VISUS_LOG_FILE) logger.level = 'silent';

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
    process.stdout.write(`${JSON.stringify(await exportAllHeads({ core, clinical }), null, 2)}\n`);
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
