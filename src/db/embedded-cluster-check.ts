/**
 * Before the server uses an embedded PostgreSQL data folder that already existed: is the cluster in it
 * Visus's? It is when Visus's superuser signs in with Visus's password and the cluster holds Visus's
 * databases, or no databases of anyone else (a first start stopped before creating them). Any other
 * cluster stops startup with one clear line rather than be migrated and seeded into.
 */
import { Client } from 'pg';
import { StartupError } from '../errors/startup-error';

const RESET = 'set VISUS_DATA_DIR to another folder, or delete this one to start afresh with the demo data';
/** The databases every PostgreSQL cluster starts with. */
const DEFAULT_DATABASES = new Set(['postgres', 'template0', 'template1']);
/** Sign-in failures that mean "not Visus's superuser or password": invalid password, invalid authorization, no such database. */
const NOT_OURS = new Set(['28P01', '28000', '3D000']);

export async function assertVisusCluster(dataDir: string, adminUrl: string, visusDatabases: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && NOT_OURS.has(code)) {
      throw new StartupError(`the data folder ${dataDir} holds a PostgreSQL cluster that is not Visus's ` +
        `(Visus's superuser ${new URL(adminUrl).username} cannot sign in to it): ${RESET}.`, { cause: error });
    }
    throw error;
  }
  try {
    const rows = (await client.query('SELECT datname FROM pg_database')).rows as { datname: string }[];
    const names = rows.map((row) => row.datname);
    const foreign = names.filter((name) => !DEFAULT_DATABASES.has(name) && !visusDatabases.includes(name));
    const ours = names.filter((name) => visusDatabases.includes(name));
    if (ours.length === 0 && foreign.length > 0) {
      throw new StartupError(`the data folder ${dataDir} holds a PostgreSQL cluster without Visus's databases ` +
        `(${visusDatabases.join(', ')}; it has ${foreign.length} other database(s)): ${RESET}.`);
    }
  } finally {
    await client.end();
  }
}
