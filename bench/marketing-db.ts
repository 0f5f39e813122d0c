/**
 * The marketing benchmark's database (bench/marketing.ts): an embedded PostgreSQL in a folder kept between runs
 * (BENCH_MARKETING_DIR, default .data/bench-marketing in the checkout), holding core and clinical databases with
 * one bulk chain (src/seed/bulk) of the asked size. A rerun with the same size reuses it (seeding a million
 * customers takes minutes); another size, or BENCH_FRESH=1, drops and rebuilds it. The suppression key lives
 * beside it (the bulk chain's suppression hashes are under it), and the master key the server needs in production. Each run gives the BI service account a new API
 * token (the one the seed printed is not kept).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hashApiToken, newApiToken } from '../src/auth/api-token';
import { loadConfig } from '../src/config/config';
import { writeNewMasterKeyFile } from '../src/config/master-key';
import { ensureAppLoginRole, urlWithLogin, withClient } from '../src/db/app-role';
import { DatabasePair, migrateAsOwner } from '../src/db/bootstrap';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { freePort } from '../src/db/free-port';
import { describeBulkReport } from '../src/seed/bulk/bulk-report';
import { parseBulkOptions } from '../src/seed/bulk/bulk-options';
import { seedBulk } from '../src/seed/bulk/bulk-seed';
import { stderrProgress } from '../src/seed/bulk/progress';

const NAMES: DatabasePair = { core: 'bench_marketing_core', clinical: 'bench_marketing_clinical' };

export interface MarketingBenchDatabase {
  embedded: EmbeddedPostgresHandle;
  owner: DatabasePair;
  app: DatabasePair;
  keyFile: string;
  keyHex: string;
  /** The master key (src/config/master-key.ts) the server needs in production; kept beside the database. */
  masterKeyFile: string;
  chainId: string;
  token: string;
  reused: boolean;
}

function benchDir(): string {
  return path.resolve(process.env.BENCH_MARKETING_DIR || path.join(__dirname, '..', '..', '.data', 'bench-marketing'));
}

function masterKey(dir: string): string {
  const file = path.join(dir, 'master.key');
  if (!fs.existsSync(file)) writeNewMasterKeyFile(file);
  return file;
}

function suppressionKey(dir: string): { file: string; hex: string } {
  const file = path.join(dir, 'suppression.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return { file, hex: fs.readFileSync(file, 'utf8').trim() };
}

/** The chain id when the bench database holds exactly the bulk chain asked for. */
async function existingChain(embedded: EmbeddedPostgresHandle, chainName: string, customers: number): Promise<string | null> {
  const present = await withClient(embedded.urlFor('postgres'), async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [NAMES.core])).rowCount);
  if (!present) return null;
  return withClient(embedded.urlFor(NAMES.core), async (c) => {
    const chain = await c.query<{ id: string; n: number }>(
      `SELECT x.id, (SELECT count(*)::int FROM customer WHERE chain_id = x.id) AS n FROM chain x WHERE x.name = $1`, [chainName]).catch(() => ({ rows: [] }));
    return chain.rows.length === 1 && chain.rows[0].n === customers ? chain.rows[0].id : null;
  });
}

export async function prepareMarketingDatabase(customers: number): Promise<MarketingBenchDatabase> {
  const dir = benchDir();
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755); // as root PostgreSQL runs as `postgres`, which must reach the folder inside
  const key = suppressionKey(dir);
  const config = { ...loadConfig(), suppressionKey: Buffer.from(key.hex, 'hex') };
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), persistent: true });
  try {
    const options = parseBulkOptions(['--customers', String(customers), '--seed', '1']);
    let chainId = process.env.BENCH_FRESH === '1' ? null : await existingChain(embedded, options.chainName, customers);
    const reused = chainId !== null;
    const owner = { core: embedded.urlFor(NAMES.core), clinical: embedded.urlFor(NAMES.clinical) };
    const login = { role: config.appDbRole, password: config.appDbPassword };
    if (!reused) {
      await embedded.dropDatabase(NAMES.core);
      await embedded.dropDatabase(NAMES.clinical);
    }
    await embedded.ensureDatabase(NAMES.core);
    await embedded.ensureDatabase(NAMES.clinical);
    await ensureAppLoginRole(embedded.urlFor('postgres'), login);
    const databases = await migrateAsOwner(owner, config.appDbRole);
    try {
      if (!chainId) {
        console.log(`seeding the bench database (${dir}): npm run seed:bulk -- --customers ${customers} --seed 1`);
        const report = await seedBulk(databases.core, options, config.suppressionKey, stderrProgress());
        // The token the seed made is replaced below: do not print it.
        for (const line of describeBulkReport(report).slice(0, 3)) console.log(line);
        chainId = report.chainId;
      } else {
        console.log(`reusing the bench database in ${dir}: "${options.chainName}" is already seeded (BENCH_FRESH=1 rebuilds it)`);
      }
      const token = newApiToken();
      await databases.core.query(
        `INSERT INTO api_token (chain_id, user_id, name, token_hash, created_by_id, expires_at)
         SELECT u.chain_id, u.id, 'bench:marketing ' || now()::text, $2, u.id, now() + interval '1 day'
         FROM staff_user u WHERE u.chain_id = $1 AND u.kind = 'SERVICE'`, [chainId, hashApiToken(token)]);
      return {
        embedded, owner, app: { core: urlWithLogin(owner.core, login), clinical: urlWithLogin(owner.clinical, login) },
        keyFile: key.file, keyHex: key.hex, masterKeyFile: masterKey(dir), chainId, token, reused,
      };
    } finally {
      await databases.close();
    }
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
