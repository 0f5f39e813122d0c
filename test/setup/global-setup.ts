/**
 * Jest global setup: one embedded PostgreSQL per test run (the same launcher `npm start` uses, set up
 * by src/db/throwaway-databases.ts as for the benchmarks), with the application role and template
 * databases holding the migrated schema, the application role's grants and the demo seed (all as
 * `npm start` does them). Each suite copies them into fresh
 * databases of its own (test/support/test-app.ts). The run's application log goes to one file that
 * the teardown scans for personal data.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { writeNewMasterKeyFile } from '../../src/config/master-key';
import { createSeededDatabases, startThrowawayPostgres } from '../../src/db/throwaway-databases';
import { seedDemo } from '../../src/seed/demo-seed';

export const TEMPLATE_CORE = 'tpl_core';
export const TEMPLATE_CLINICAL = 'tpl_clinical';


export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  // The run's own master key (src/config/master-key.ts), beside its throw-away data folder; the suites inherit it.
  const masterKeyFile = path.join(process.cwd(), '.data', `test-${process.pid}-master.key`);
  fs.rmSync(masterKeyFile, { force: true });
  writeNewMasterKeyFile(masterKeyFile);
  process.env.VISUS_MASTER_KEY_FILE = masterKeyFile;
  const pg = await startThrowawayPostgres({ dataDir: path.join(process.cwd(), '.data', `test-${process.pid}`) });
  (globalThis as Record<string, unknown>).__VISUS_EMBEDDED__ = pg;

  const config = loadConfig();
  await createSeededDatabases(pg, { core: TEMPLATE_CORE, clinical: TEMPLATE_CLINICAL }, { role: config.appDbRole, password: config.appDbPassword },
    (owner) => seedDemo(owner.core, owner.clinical, { customersPerStore: 60, suppressionKey: config.suppressionKey }));

  process.env.VISUS_TEST_PG_URL = pg.adminUrl;
  // The whole run's application log goes to one file, scanned for personal data by the teardown.
  const logFile = path.join(process.cwd(), '.data', `test-log-${process.pid}.jsonl`);
  fs.rmSync(logFile, { force: true });
  process.env.VISUS_LOG_FILE = logFile;
  (globalThis as Record<string, unknown>).__VISUS_LOG_FILE__ = logFile;
}
