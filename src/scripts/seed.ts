/**
 * `npm run seed`: seeds the demo chain (idempotent) into the configured or embedded databases, as their
 * owner (after pending migrations and the application role's grants). Prints the demo BI API token it made, once.
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { migrateAsOwner, resolveDatabaseUrls } from '../db/bootstrap';
import { seededTokenLine, seedDemo } from '../seed/demo-seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const urls = await resolveDatabaseUrls(config);
  try {
    if (!urls.owner) throw new Error('npm run seed writes as the databases\' owner: set DATABASE_OWNER_URL and CLINICAL_DATABASE_OWNER_URL');
    const owner = await migrateAsOwner(urls.owner, config.appDbRole);
    try {
      const report = await seedDemo(owner.core, owner.clinical, { suppressionKey: config.suppressionKey, masterKeyFile: config.masterKeyFile });
      console.log(report.chainsCreated.length ? `seeded ${report.chainsCreated.join(', ')} (${report.customers} customers)` : 'demo chains already present; nothing to do');
      // Shown this once: only the token's hash is stored.
      for (const token of report.apiTokens) console.log(seededTokenLine(token));
    } finally {
      await owner.close();
    }
  } finally {
    if (urls.embedded) await urls.embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
