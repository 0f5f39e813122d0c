/**
 * `npm run seed`: seeds the demo chain (idempotent) into the configured or embedded databases.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { openDatabases, resolveDatabaseUrls } from '../db/bootstrap';
import { seedDemo } from '../seed/demo-seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const { coreUrl, clinicalUrl, embedded } = await resolveDatabaseUrls(config);
  const databases = await openDatabases(coreUrl, clinicalUrl, embedded);
  try {
    const report = await seedDemo(databases.core, databases.clinical);
    console.log(report.chainsCreated.length ? `seeded ${report.chainsCreated.join(', ')} (${report.customers} customers)` : 'demo chains already present; nothing to do');
  } finally {
    await databases.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
