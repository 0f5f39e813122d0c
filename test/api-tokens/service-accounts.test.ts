/**
 * Service accounts beyond the token API: `login` refuses one exactly like a wrong password (same error, the
 * attempt counts toward the throttle, no session is made); `npm run audit:verify` accepts log entries written
 * under an API token (its id is the entry's session) and still refuses a token id named for another user; the
 * demo seed makes the BI user a service account with one API token, "Demo BI export", valid 365 days, whose
 * text it hands back once (printed by its callers) and of which it stores only the hash.
 */
import { Client } from 'pg';
import { authenticate } from '../../src/auth/authenticate';
import { hashApiToken } from '../../src/auth/api-token';
import { loadConfig } from '../../src/config/config';
import { migrateAsOwner } from '../../src/db/bootstrap';
import { databaseUrl, dropDatabases } from '../../src/db/throwaway-databases';
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { unknownActors } from '../../src/hash-chain/verify-actors';
import { seededTokenLine, seedDemo } from '../../src/seed/demo-seed';
import { DEMO_PASSWORD, EMAIL } from '../support/actors';
import { errorCodes } from '../support/graphql-client';
import { issueApiToken } from '../support/service-tokens';
import { startTestApp, TestApp } from '../support/test-app';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const MAX_FAILURES = 3;

describe('service accounts', () => {
  let app: TestApp;
  let chainId: string;

  beforeAll(async () => {
    app = await startTestApp({ loginMaxFailures: MAX_FAILURES });
    chainId = (await app.ownerCore.query('SELECT chain_id::text AS id FROM staff_user WHERE email = $1', [EMAIL.bi]))[0].id;
  });
  afterAll(() => app?.stop());

  it('login refuses a service account like a wrong password, counts it toward the throttle, and opens no session', async () => {
    const wrong = await app.request(LOGIN, { e: EMAIL.dpo, p: `${DEMO_PASSWORD}x` });
    const attempts = async (): Promise<number> => (await app.ownerCore.query(
      `SELECT count(*)::int AS n FROM login_attempt WHERE email_hash = sha256(convert_to($1, 'UTF8')) AND NOT succeeded`, [EMAIL.bi]))[0].n;
    const before = await attempts();
    const refused = await app.request(LOGIN, { e: EMAIL.bi, p: DEMO_PASSWORD });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0].message).toBe(wrong.errors![0].message);
    expect(refused.data?.login ?? null).toBeNull();
    expect(await attempts()).toBe(before + 1);
    expect(refused.headers.get('set-cookie')).toBeNull();
    // The limit applies as to anyone: after MAX_FAILURES, even the right password is not checked.
    for (let i = 1; i < MAX_FAILURES; i++) await app.request(LOGIN, { e: EMAIL.bi, p: DEMO_PASSWORD });
    const throttled = await app.request(LOGIN, { e: EMAIL.bi, p: DEMO_PASSWORD });
    expect(errorCodes(throttled)).toEqual(['UNAUTHENTICATED']);
    expect(throttled.errors![0].message).toMatch(/Too many failed sign-ins/);
    const sessions = await app.ownerCore.query('SELECT count(*)::int AS n FROM session s JOIN staff_user u ON u.id = s.user_id WHERE u.email = $1', [EMAIL.bi]);
    expect(sessions[0].n).toBe(0);
  });

  it('audit:verify accepts entries written under an API token, and refuses a token named for another user', async () => {
    // A service account whose role writes: an optical assistant's at Leeds.
    const [leeds] = await app.ownerCore.query(`SELECT id::text AS id FROM store WHERE name = 'Leeds'`);
    const [role] = await app.ownerCore.query(`SELECT id::text AS id FROM role WHERE chain_id = $1 AND name = 'Optical assistant'`, [chainId]);
    const [writer] = await app.ownerCore.query(
      `INSERT INTO staff_user (chain_id, name, email, profession, password_hash, kind)
       VALUES ($1, 'Import job', 'import-job@service-accounts.test', 'SERVICE_ACCOUNT', 'x', 'SERVICE') RETURNING id::text AS id`, [chainId]);
    await app.ownerCore.query(`INSERT INTO role_assignment (chain_id, user_id, role_id, scope_type, store_id) VALUES ($1, $2, $3, 'STORE', $4)`,
      [chainId, writer.id, role.id, leeds.id]);
    const { id: tokenId, token } = await issueApiToken(app.ownerCore, writer.id, { name: 'import' });
    const [customer] = await app.ownerCore.query(`SELECT id::text AS id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1`, [leeds.id]);
    const updated = await app.request('mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }',
      { id: customer.id, input: { phone: '0113 496 0999' } }, token);
    expect(updated.errors).toBeUndefined();
    const entries = await app.ownerCore.query('SELECT session_id::text AS s FROM personal_change_log_entry WHERE user_id = $1', [writer.id]);
    expect(entries).toEqual([{ s: tokenId }]);

    const report = await runAuditVerify({ core: app.ownerCore, clinical: app.ownerClinical });
    expect(report.lines.join('\n')).toMatch(/users and sessions named by the entries: every one exists/);
    expect(report.ok).toBe(true);

    // The token's id is the session of its own user only.
    await app.ownerCore.query('CREATE TABLE actor_probe (chain_id uuid, user_id uuid, session_id uuid, seq bigint)');
    const [other] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.dpo]);
    await app.ownerCore.query('INSERT INTO actor_probe VALUES ($1, $2, $3, 1), ($1, $4, $3, 2)', [chainId, writer.id, tokenId, other.id]);
    const problems = await unknownActors(app.ownerCore, { name: 'probe', table: 'actor_probe', db: app.ownerCore });
    expect(problems.map((p) => p.userId)).toEqual([other.id]);
  });
});

describe('the demo seed’s BI token', () => {
  const admin = process.env.VISUS_TEST_PG_URL!;
  const names = { core: `core_seedtok_${process.pid}`, clinical: `clinical_seedtok_${process.pid}` };

  afterAll(() => dropDatabases(admin, names));

  it('makes the BI user a service account with one token, "Demo BI export", valid 365 days, returned once, stored hashed', async () => {
    const client = new Client({ connectionString: admin });
    await client.connect();
    try {
      for (const name of Object.values(names)) await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    const config = loadConfig();
    const owner = await migrateAsOwner({ core: databaseUrl(admin, names.core), clinical: databaseUrl(admin, names.clinical) }, config.appDbRole);
    try {
      const now = new Date();
      const report = await seedDemo(owner.core, owner.clinical, { now });
      expect(report.apiTokens).toHaveLength(1);
      const [seeded] = report.apiTokens;
      expect(seeded).toMatchObject({ chain: 'Clearview Opticians', email: EMAIL.bi, name: 'Demo BI export' });
      expect(seeded.expiresAt.getTime()).toBe(now.getTime() + 365 * 86400_000);
      expect(seededTokenLine(seeded)).toMatch(/^Demo BI API token \(shown once\): vsa_[A-Za-z0-9_-]{43} /);

      const rows: { kind: string; name: string; token_hash: Buffer; expires_at: Date }[] = await owner.core.query(
        `SELECT u.kind, t.name, t.token_hash, t.expires_at FROM api_token t JOIN staff_user u ON u.id = t.user_id`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'SERVICE', name: 'Demo BI export' });
      expect(rows[0].token_hash.equals(hashApiToken(seeded.token))).toBe(true);
      const staff = await owner.core.query(`SELECT email FROM staff_user WHERE kind = 'SERVICE'`);
      expect(staff).toEqual([{ email: EMAIL.bi }]);

      // The printed token authenticates as the BI user.
      const authenticated = await authenticate(owner.core, config, seeded.token);
      const [bi] = await owner.core.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.bi]);
      expect(authenticated?.principal.userId).toBe(bi.id);

      // Seeding again makes no second token.
      expect((await seedDemo(owner.core, owner.clinical)).apiTokens).toEqual([]);
    } finally {
      await owner.close();
    }
  }, 120_000);
});
