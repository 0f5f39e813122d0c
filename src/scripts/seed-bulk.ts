/**
 * `npm run seed:bulk -- --customers 1000000 [--stores 120] [--chain-name …] [--seed N] [--batch N]`: a new large
 * chain (src/seed/bulk/bulk-seed.ts) in the databases `npm start` uses (the embedded PostgreSQL, or
 * DATABASE_OWNER_URL/CLINICAL_DATABASE_OWNER_URL), as their owner after pending migrations and grants. A progress
 * bar on standard error (a terminal only); on standard output what was made, how long it took, and who signs in.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { migrateAsOwner, resolveDatabaseUrls } from '../db/bootstrap';
import { logger } from '../logging/logger';
import { BulkChainExists, seedBulk } from '../seed/bulk/bulk-seed';
import { describeBulkReport } from '../seed/bulk/bulk-report';
import { BULK_USAGE, parseBulkOptions } from '../seed/bulk/bulk-options';
import { stderrProgress } from '../seed/bulk/progress';

if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function main(): Promise<void> {
  const options = parseBulkOptions(process.argv.slice(2));
  const config = loadConfig();
  const urls = await resolveDatabaseUrls(config);
  try {
    if (!urls.owner) throw new Error('npm run seed:bulk writes as the databases\' owner: set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
    const owner = await migrateAsOwner(urls.owner, config.appDbRole);
    try {
      const report = await seedBulk(owner.core, options, config.suppressionKey, stderrProgress());
      for (const line of describeBulkReport(report)) console.log(line);
    } finally {
      await owner.close();
    }
  } finally {
    if (urls.embedded) await urls.embedded.stop();
  }
}

main().catch((error: unknown) => {
  const expected = error instanceof BulkChainExists || (error instanceof Error && error.message.includes(BULK_USAGE));
  console.error(expected ? (error as Error).message : error);
  process.exit(1);
});
