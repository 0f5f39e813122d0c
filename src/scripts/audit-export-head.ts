/**
 * `npm run audit:export-head`: prints the current head of each chain of the clinical access log as JSON
 * (`[{ chainId, seq, hash, exportedAt }]`), to keep outside the database (e.g. > heads.json, then
 * `npm run audit:verify -- --head heads.json` detects entries cut from the end since). Run
 * `npm run audit:verify` first: exporting the head of a chain already tampered with vouches for it.
 */
import 'reflect-metadata';
import { exportHeads } from '../audit/verify-chain';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource } from '../db/data-sources';
import { logger } from '../server/logger';

// The application log also goes to standard output: keep it quiet here so that standard output carries only the JSON.
if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function main(): Promise<void> {
  const { clinicalUrl, embedded } = await resolveDatabaseUrls(loadConfig());
  const clinical = createDataSource('clinical', clinicalUrl);
  try {
    await clinical.initialize();
    console.log(JSON.stringify(await exportHeads(clinical), null, 2));
  } finally {
    if (clinical.isInitialized) await clinical.destroy();
    if (embedded) await embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
