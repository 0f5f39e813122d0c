/**
 * The benchmarks' databases: a throw-away embedded PostgreSQL in a temporary folder on a free port, the
 * core and clinical databases on it, migrated, granted and seeded with the demo chains (300 Clearview
 * customers, 60 Lakeside) as `npm start` does it, through src/db/throwaway-databases.ts like the test setup.
 * The servers run with NODE_ENV=production, where the config refuses to start without
 * VISUS_SUPPRESSION_KEY_FILE: unless the caller set one, a fresh key is written beside the data folder (removed
 * with it) and the variable set for this process and the servers it starts; VISUS_MASTER_KEY_FILE likewise (the
 * seed's encrypted clinical text must open in a server started as a child process).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/config';
import { writeNewMasterKeyFile } from '../src/config/master-key';
import { DatabasePair } from '../src/db/bootstrap';
import { createSeededDatabases, startThrowawayPostgres, ThrowawayPostgres } from '../src/db/throwaway-databases';
import { seedDemo } from '../src/seed/demo-seed';

const NAMES: DatabasePair = { core: 'bench_core', clinical: 'bench_clinical' };

/** Starts PostgreSQL (`stop()` removes its folder) and prints where it runs. */
export async function startBenchPostgres(): Promise<ThrowawayPostgres> {
  const pg = await startThrowawayPostgres();
  console.log(`PostgreSQL: embedded, port ${pg.port}, data in ${pg.dataDir}`);
  if (!process.env.VISUS_SUPPRESSION_KEY_FILE) {
    // The throw-away folder (the data folder's parent) goes when PostgreSQL stops, and the key with it.
    const file = path.join(path.dirname(pg.dataDir), 'suppression.key');
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    process.env.VISUS_SUPPRESSION_KEY_FILE = file;
  }
  if (!process.env.VISUS_MASTER_KEY_FILE) {
    // The same for the master key: the seed here and a server started as a child process (bench:load) must share it.
    const file = path.join(path.dirname(pg.dataDir), 'master.key');
    writeNewMasterKeyFile(file);
    process.env.VISUS_MASTER_KEY_FILE = file;
  }
  return pg;
}

/** Creates and seeds the databases; prints the seed line. The owner's URLs and the application role's. */
export async function createBenchDatabases(pg: ThrowawayPostgres): Promise<{ owner: DatabasePair; app: DatabasePair }> {
  const config = loadConfig();
  const { owner, app, seeded } = await createSeededDatabases(pg, NAMES, { role: config.appDbRole, password: config.appDbPassword },
    (databases) => seedDemo(databases.core, databases.clinical));
  console.log(`seeded: ${seeded.chainsCreated.join(', ')} (${seeded.customers} customers)`);
  return { owner, app };
}
