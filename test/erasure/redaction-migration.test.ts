/**
 * The *ChangeLogRedaction migration (clinical here; the core one runs the same SQL, migrations/change-log-redaction-sql.ts)
 * on a database that already holds change log entries: it verifies the chains under canonical form v1 first and
 * refuses to run when one is broken; otherwise it fills every digest and rehashes every chain under form v2, which
 * the verifier accepts.
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { clinicalMigrations } from '../../migrations/clinical';
import { CHANGE_LOGS, verifyChangeLog } from '../../src/hash-chain/change-log-chain';
import { clinicalEntities } from '../../src/db/entities';
import { SnakeNamingStrategy } from '../../src/db/snake-naming-strategy';
import { ChangeLogKind } from '../../src/schema/enums';

const CLINICAL = CHANGE_LOGS.find((l) => l.kind === ChangeLogKind.CLINICAL)!;
const CHAIN = '6d7c0a3e-0000-4000-8000-000000000001';
const SOMEONE = '6d7c0a3e-0000-4000-8000-000000000002';

function adminUrl(): string {
  return process.env.VISUS_TEST_PG_URL!;
}

async function freshDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return adminUrl().replace(/\/postgres$/, `/${name}`);
}

function dataSource(url: string, migrations: typeof clinicalMigrations): DataSource {
  return new DataSource({ type: 'postgres', url, entities: clinicalEntities, migrations, migrationsTableName: 'typeorm_migrations', namingStrategy: new SnakeNamingStrategy() });
}

/** The clinical migrations up to (not including) the redaction migration, and up to it included (later ones follow it). */
const REDACTION_AT = clinicalMigrations.findIndex((m) => m.name.startsWith('ChangeLogRedaction'));
const BEFORE_REDACTION = clinicalMigrations.slice(0, REDACTION_AT);
const UP_TO_REDACTION = clinicalMigrations.slice(0, REDACTION_AT + 1);

/** A database migrated up to (not including) the redaction migration, with three v1 entries. */
async function beforeRedaction(name: string): Promise<string> {
  const url = await freshDatabase(name);
  const ds = dataSource(url, BEFORE_REDACTION);
  await ds.initialize();
  await ds.runMigrations();
  for (const plan of ['one', 'two', 'three']) {
    await ds.query(
      `INSERT INTO clinical_change_log_entry (chain_id, occurred_at, user_id, session_id, request_id, action, subject, record_type, record_id, customer_id, store_id, changes)
       VALUES ($1, now() - interval '1 hour', $2, $2, 'migration-test', 'CREATE', 'ClinicalNote', 'ClinicalNote', $2, $2, NULL, $3)`,
      [CHAIN, SOMEONE, JSON.stringify({ plan: { before: null, after: plan } })]);
  }
  await ds.destroy();
  return url;
}

async function runRedactionMigration(url: string): Promise<void> {
  const ds = dataSource(url, UP_TO_REDACTION);
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

describe('the ChangeLogRedaction migration', () => {
  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    for (const name of ['redaction_migration_ok', 'redaction_migration_broken']) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  it('rehashes intact v1 chains under form v2: every entry gets its digest and the chain verifies', async () => {
    const url = await beforeRedaction('redaction_migration_ok');
    const check = new Client({ connectionString: url });
    await check.connect();
    const v1 = (await check.query(`SELECT id, hash FROM clinical_change_log_entry ORDER BY seq`)).rows as { id: string; hash: Buffer }[];
    await check.end();
    await runRedactionMigration(url);
    const ds = dataSource(url, []);
    await ds.initialize();
    try {
      const v2 = (await ds.query(`SELECT id, hash, changes_digest = sha256(convert_to(changes::text, 'UTF8')) AS digest_ok FROM clinical_change_log_entry ORDER BY seq`)) as { id: string; hash: Buffer; digest_ok: boolean }[];
      expect(v2).toHaveLength(3);
      expect(v2.every((r) => r.digest_ok)).toBe(true);
      v2.forEach((r, i) => expect(r.hash.equals(v1[i].hash)).toBe(false));
      const report = await verifyChangeLog(ds, CLINICAL);
      expect(report).toMatchObject({ ok: true, chains: [{ chainId: CHAIN, ok: true, entries: 3 }] });
    } finally {
      await ds.destroy();
    }
  });

  it('refuses to run when a v1 chain is broken, naming the chain and seq', async () => {
    const url = await beforeRedaction('redaction_migration_broken');
    const tamper = new Client({ connectionString: url });
    await tamper.connect();
    await tamper.query(`ALTER TABLE clinical_change_log_entry DISABLE TRIGGER USER`);
    await tamper.query(`UPDATE clinical_change_log_entry SET changes = '{"plan": {"before": null, "after": "edited"}}' WHERE seq = 2`);
    await tamper.query(`ALTER TABLE clinical_change_log_entry ENABLE TRIGGER USER`);
    await tamper.end();
    await expect(runRedactionMigration(url)).rejects.toThrow(new RegExp(`chain ${CHAIN} does not verify at seq 2`));
    const check = new Client({ connectionString: url });
    await check.connect();
    const columns = (await check.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'clinical_change_log_entry' AND column_name = 'changes_digest'`)).rows;
    await check.end();
    expect(columns).toEqual([]);
  });
});
