/**
 * Jest global setup: one embedded PostgreSQL per test run (the same launcher `npm start` uses),
 * with the application role and template databases holding the migrated schema, the application
 * role's grants and the demo seed (all as `npm start` does them). Each suite copies them into fresh
 * databases of its own (test/support/test-app.ts). The run's application log goes to one file that
 * the teardown scans for personal data.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { ensureAppLoginRole } from '../../src/db/app-role';
import { migrateAsOwner } from '../../src/db/bootstrap';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { freePort } from '../../src/db/free-port';
import { seedDemo } from '../../src/seed/demo-seed';

export const TEMPLATE_CORE = 'tpl_core';
export const TEMPLATE_CLINICAL = 'tpl_clinical';


export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  const dataDir = path.join(process.cwd(), '.data', `test-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  const embedded = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  (globalThis as Record<string, unknown>).__VISUS_EMBEDDED__ = { embedded, dataDir };

  await embedded.ensureDatabase(TEMPLATE_CORE);
  await embedded.ensureDatabase(TEMPLATE_CLINICAL);
  const config = loadConfig();
  await ensureAppLoginRole(embedded.urlFor('postgres'), { role: config.appDbRole, password: config.appDbPassword });
  const owner = await migrateAsOwner({ core: embedded.urlFor(TEMPLATE_CORE), clinical: embedded.urlFor(TEMPLATE_CLINICAL) }, config.appDbRole);
  try {
    await seedDemo(owner.core, owner.clinical, { customersPerStore: 60 });
  } finally {
    await owner.close();
  }

  process.env.VISUS_TEST_PG_URL = embedded.urlFor('postgres');
  // The whole run's application log goes to one file, scanned for personal data by the teardown.
  const logFile = path.join(process.cwd(), '.data', `test-log-${process.pid}.jsonl`);
  fs.rmSync(logFile, { force: true });
  process.env.VISUS_LOG_FILE = logFile;
  (globalThis as Record<string, unknown>).__VISUS_LOG_FILE__ = logFile;
}
