/**
 * Append-only in the database (issue 4): the application's database role cannot alter history. Connected
 * with the role's own credentials (as the API is), UPDATE, DELETE and TRUNCATE on every append-only table
 * of both databases fail for want of the privilege (42501), while the API still writes and reads them; the
 * role is no superuser, owns nothing, is a member of no role and cannot disable a trigger. The databases'
 * owner (the superuser) meets the `visus_reject_change()` triggers instead. The registry of append-only
 * tables (src/db/append-only-tables.ts) and the tables that carry those triggers must agree.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp } from '../../src/app';
import { appTablePrivileges, TABLE_PRIVILEGES } from '../../src/db/app-grants';
import { ensureAppLoginRole, urlWithLogin } from '../../src/db/app-role';
import { appRoleProblems } from '../../src/db/app-role-check';
import { APPEND_ONLY_TABLES } from '../../src/db/append-only-tables';
import { DatabaseName } from '../../src/db/data-sources';
import { disposeCustomer } from '../../src/services/erasure';
import { startTestApp, TestApp } from '../support/test-app';
import { publishWordings } from '../support/consent-wordings';
import { EMAIL } from '../support/actors';
import { findOperator, runRetention } from '../../src/services/retention/retention-run';

const DATABASES: DatabaseName[] = ['core', 'clinical'];
/** Every append-only table of both databases, from the registry: [database, table]. */
const APPEND_ONLY: [DatabaseName, string][] = DATABASES.flatMap((db) => APPEND_ONLY_TABLES[db].map((table): [DatabaseName, string] => [db, table]));

const CHAIN_MANAGER = EMAIL.chainManager;
const ASSISTANT = EMAIL.leedsAssistant;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const DPO = EMAIL.dpo;

/** The SQLSTATE and message a statement fails with (or null when it succeeds), inside a transaction that is rolled back. */
async function failureOf(client: Client, sql: string): Promise<{ code: string; message: string } | null> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    const e = error as { code?: string; message: string };
    return { code: e.code ?? '', message: e.message };
  } finally {
    await client.query('ROLLBACK');
  }
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** `UPDATE <table> SET <c> = <c>` on its first ordinary column (identity and generated columns refuse any value). */
async function updateAll(client: Client, table: string): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_identity = 'NO' AND is_generated = 'NEVER' ORDER BY ordinal_position LIMIT 1`,
    [table],
  );
  return `UPDATE "${table}" SET "${rows[0].name}" = "${rows[0].name}"`;
}

async function rowCount(client: Client, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
  return Number(rows[0].n);
}

describe('append-only in the database: the application role cannot alter history', () => {
  let app: TestApp;
  /** Connections with the application role's credentials, and as the owner (superuser), per database. */
  const asApp = {} as Record<DatabaseName, Client>;
  const asOwner = {} as Record<DatabaseName, Client>;
  /** Rows in each append-only table before the API wrote to them. */
  const before = new Map<string, number>();

  beforeAll(async () => {
    app = await startTestApp();
    await publishWordings(app, ['2026-02']); // the wording versions this suite's consent changes name
    asApp.core = await connect(app.appCoreUrl);
    asApp.clinical = await connect(app.appClinicalUrl);
    asOwner.core = await connect(app.coreUrl);
    asOwner.clinical = await connect(app.clinicalUrl);
    for (const [db, table] of APPEND_ONLY) before.set(table, await rowCount(asOwner[db], table));

    // The API (connected as the application role) appends to each append-only table: a consent change (and its
    // personal change log entry), a consent wording, a terms acceptance, a role change, a clinical read, an emergency access, a clinical note (and its
    // clinical change log entry), a security event and its acknowledgement. A new append-only table needs its
    // request here (the tests below need rows in it; "the API appended to it" fails until then). A restriction
    // (processing_restriction_event) and an objection (marketing_objection, marketing_suppression) too; the DPO's registers.
    const userIdOf = async (email: string) => ((await asOwner.core.query('SELECT id FROM staff_user WHERE email = $1', [email])).rows as { id: string }[])[0].id;
    const storeId = async (name: string) => ((await asOwner.core.query('SELECT id FROM store WHERE name = $1', [name])).rows as { id: string }[])[0].id;
    const patientAt = async (store: string) => ((await asOwner.clinical.query(
      'SELECT customer_id FROM examination WHERE store_id = $1 ORDER BY customer_id LIMIT 1', [await storeId(store)],
    )).rows as { customer_id: string }[])[0].customer_id;
    const patientId = await patientAt('Leeds');
    const consent = await app.request('mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { id } }',
      { input: { customerId: patientId, channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: '2026-02' } }, await app.login(ASSISTANT));
    expect(consent.errors).toBeUndefined();
    // A consent wording published and a terms acceptance recorded (issue 11).
    const wording = await app.request('mutation { publishConsentWording(input: { channel: SMS, version: "grants-probe", text: "Yes, text me offers." }) { id } }',
      {}, await app.login(CHAIN_MANAGER));
    expect(wording.errors).toBeUndefined();
    const terms = await app.request('mutation($c: ID!) { recordTermsAcceptance(customerId: $c, document: TERMS, version: "2026-01") { id } }',
      { c: patientId }, await app.login(ASSISTANT));
    expect(terms.errors).toBeUndefined();
    // A restriction (its event) and an objection (with its suppression), by the same assistant.
    const assistantToken = await app.login(ASSISTANT);
    const restricted = await app.request('mutation($c: ID!) { restrictProcessing(customerId: $c, reason: "Grants probe") { restricted } }', { c: patientId }, assistantToken);
    expect(restricted.errors).toBeUndefined();
    const objected = await app.request('mutation($c: ID!) { recordMarketingObjection(customerId: $c, source: IN_STORE) { objected } }', { c: patientId }, assistantToken);
    expect(objected.errors).toBeUndefined();
    const role = await app.request('mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { name: 'Grants probe', permissions: [{ action: 'read', subject: 'Store' }] } }, await app.login(CHAIN_MANAGER));
    expect(role.errors).toBeUndefined();
    // A page of a marketing list is logged in marketing_list_export.
    const list = await app.request('{ marketingList(channel: EMAIL, first: 1) { totalCount } }', {}, await app.login(CHAIN_MANAGER));
    expect(list.errors).toBeUndefined();
    // A customer data export (the DPO's, of the patient) is logged in customer_data_export.
    const exported = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/customers/${patientId}?format=json`, { headers: { authorization: `Bearer ${await app.login(DPO)}` } });
    expect(exported.status).toBe(200);
    await exported.text();
    const optometristToken = await app.login(OPTOMETRIST);
    const read = await app.request('query($id: ID!) { customer(id: $id) { examinations { id } } }', { id: patientId }, optometristToken);
    expect(read.errors).toBeUndefined();
    const emergency = await app.request('mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { id } }',
      { input: { customerId: await patientAt('York'), reason: 'Registered in York, presents in Leeds with sudden vision loss.' } }, optometristToken);
    expect(emergency.errors).toBeUndefined();
    const note = await app.request('mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }',
      { input: { customerId: patientId, storeId: await storeId('Leeds'), plan: 'Recall in 12 months' } }, optometristToken);
    expect(note.errors).toBeUndefined();
    // With the threshold at one customer, reading a second one's records raises a security event; the DPO acknowledges it.
    const settings = await app.request('mutation { updateAuditSettings(input: { anomalyDistinctCustomers: 1 }) { anomalyDistinctCustomers } }', {}, await app.login(CHAIN_MANAGER));
    expect(settings.errors).toBeUndefined();
    const [{ customer_id: otherPatient }] = (await asOwner.clinical.query(
      'SELECT customer_id FROM examination WHERE store_id = $1 AND customer_id <> $2 ORDER BY customer_id LIMIT 1', [await storeId('Leeds'), patientId],
    )).rows as { customer_id: string }[];
    const second = await app.request('query($id: ID!) { customer(id: $id) { examinations { id } } }', { id: otherPatient }, optometristToken);
    expect(second.errors).toBeUndefined();
    await app.app.anomalies.drain();
    const dpoToken = await app.login(DPO);
    // The optometrist's event (the demo seed raises one about another user: docs/dpo.md).
    const events = await app.request<{ securityEvents: { edges: { node: { id: string } }[] } }>(
      'query($userId: ID!) { securityEvents(userId: $userId) { edges { node { id } } } }', { userId: await userIdOf(OPTOMETRIST) }, dpoToken);
    expect(events.data?.securityEvents.edges).toHaveLength(1);
    const acknowledged = await app.request('mutation($id: ID!) { acknowledgeSecurityEvent(id: $id, note: "Grants probe") { id } }',
      { id: events.data!.securityEvents.edges[0].node.id }, dpoToken);
    expect(acknowledged.errors).toBeUndefined();
    // The retention job (npm run retention, as the application role) records a dry run named after the DPO in retention_run.
    const [recorded] = await runRetention({ core: app.core, clinical: app.clinical }, { apply: false, operator: await findOperator(app.core, DPO) });
    expect(recorded.runId).not.toBeNull();
    // A data-subject request recorded by the DPO (its RECEIVED event, data_request_event; issue 12).
    const dataRequest = await app.request('mutation($c: ID!, $at: DateTimeISO!) { createDataRequest(input: { customerId: $c, type: ACCESS, receivedAt: $at, channel: EMAIL }) { id } }',
      { c: patientId, at: new Date().toISOString() }, dpoToken);
    expect(dataRequest.errors).toBeUndefined();
    // The DPO's registers (issue 12): a breach (breach_event), a processing activity (processing_activity_change),
    // an export of the records of processing (register_export).
    const breach = await app.request('mutation($input: RecordBreachInput!) { recordBreach(input: $input) { id } }', {
      input: { discoveredAt: new Date(Date.now() - 3600_000).toISOString(), description: 'Grants probe.', dataCategories: ['Contact details'], risk: 'RISK', riskAssessment: 'Probe.' },
    }, dpoToken);
    expect(breach.errors).toBeUndefined();
    const activity = await app.request('mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id } }', {
      input: { name: 'Grants probe', purpose: 'Probe.', lawfulBases: ['CONTRACT'], dataCategories: ['Identity'], dataSubjects: ['Customers'], recipients: [], retention: '1 year.', securityMeasures: 'Probe.', controllerContact: 'Probe.', dpoContact: 'Probe.' },
    }, dpoToken);
    expect(activity.errors).toBeUndefined();
    const registerExport = await fetch(app.url.replace(/\/graphql$/, '/exports/processing-activities?format=json'), { headers: { authorization: `Bearer ${dpoToken}` } });
    expect(registerExport.status).toBe(200);
    // An erasure (issue 12) redacts the erased customer's personal change log entries (personal_change_log_redaction)
    // and answers its request; the retention run's disposal redacts the clinical change log (clinical_change_log_redaction).
    const erasable = ((await asOwner.core.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth) SELECT chain_id, id, 'Grants', 'Probe', '1980-01-01' FROM store WHERE name = 'Leeds' RETURNING id`,
    )).rows as { id: string }[])[0].id;
    const setPhone = await app.request('mutation($id: ID!) { updateCustomer(id: $id, input: { phone: "0113 496 0999" }) { id } }', { id: erasable }, assistantToken);
    expect(setPhone.errors).toBeUndefined();
    const requestId = ((await asOwner.core.query(
      `INSERT INTO data_request (chain_id, customer_id, store_id, type, channel, received_at, due_at, created_by_id)
       SELECT c.chain_id, c.id, c.home_store_id, 'ERASURE', 'EMAIL', now(), now() + interval '1 month', u.id FROM customer c, staff_user u
        WHERE c.id = $1 AND u.email = $2 RETURNING id`, [erasable, DPO],
    )).rows as { id: string }[])[0].id;
    const erased = await app.request('mutation($c: ID!, $r: ID!) { eraseCustomer(customerId: $c, dataRequestId: $r) { outcome } }', { c: erasable, r: requestId }, dpoToken);
    expect(erased.errors).toBeUndefined();
    const [{ chain_id: chainId }] = (await asOwner.core.query('SELECT chain_id FROM customer WHERE id = $1', [patientId])).rows as { chain_id: string }[];
    await disposeCustomer({ core: app.core, clinical: app.clinical }, { chainId, userId: null, sessionId: null, requestId: 'grants-probe', operationName: 'retention --apply' }, patientId, 'grants probe');
  });

  afterAll(async () => {
    for (const client of [...Object.values(asApp), ...Object.values(asOwner)]) await client.end();
    await app?.stop();
  });

  describe('the registry of append-only tables', () => {
    it.each(DATABASES)('%s: lists exactly the tables with a visus_reject_change() trigger', async (db) => {
      const { rows } = await asOwner[db].query<{ name: string }>(
        `SELECT DISTINCT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE p.proname = 'visus_reject_change' AND NOT t.tgisinternal ORDER BY 1`,
      );
      expect(rows.map((r) => r.name)).toEqual([...APPEND_ONLY_TABLES[db]].sort());
    });

    it.each(APPEND_ONLY)('%s.%s: enabled BEFORE triggers reject UPDATE and DELETE per row and TRUNCATE per statement', async (db, table) => {
      const { rows } = await asOwner[db].query<{ def: string; enabled: string }>(
        `SELECT pg_get_triggerdef(t.oid) AS def, t.tgenabled AS enabled FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE t.tgrelid = $1::regclass AND p.proname = 'visus_reject_change'`,
        [table],
      );
      const enabled = rows.filter((r) => r.enabled === 'O' || r.enabled === 'A').map((r) => r.def);
      const rejects = (event: string, level: 'ROW' | 'STATEMENT') => enabled.some((def) =>
        new RegExp(`BEFORE (\\w+ OR )*${event}( OR \\w+)* ON \\S+ FOR EACH ${level} EXECUTE FUNCTION visus_reject_change\\(\\)`).test(def));
      expect({ update: rejects('UPDATE', 'ROW'), delete: rejects('DELETE', 'ROW'), truncate: rejects('TRUNCATE', 'STATEMENT') })
        .toEqual({ update: true, delete: true, truncate: true });
    });
  });

  describe('connected as the application role', () => {
    it.each(APPEND_ONLY)('%s.%s: the API appended to it, and the role reads it', async (db, table) => {
      expect(await rowCount(asApp[db], table)).toBeGreaterThan(before.get(table)!);
    });

    it.each(APPEND_ONLY)('%s.%s: UPDATE, DELETE and TRUNCATE fail with permission denied (42501) and change nothing', async (db, table) => {
      const rows = await rowCount(asOwner[db], table);
      expect(rows).toBeGreaterThan(0); // the row triggers would have rows to fire on: only the missing privilege stops these
      const denied = { code: '42501', message: `permission denied for table ${table}` };
      expect(await failureOf(asApp[db], await updateAll(asOwner[db], table))).toEqual(denied);
      expect(await failureOf(asApp[db], `DELETE FROM "${table}"`)).toEqual(denied);
      expect(await failureOf(asApp[db], `TRUNCATE "${table}"`)).toEqual(denied);
      expect(await rowCount(asOwner[db], table)).toBe(rows);
    });

    it.each(APPEND_ONLY)('%s.%s: the role cannot disable its triggers or drop it (not the owner)', async (db, table) => {
      const notOwner = { code: '42501', message: `must be owner of table ${table}` };
      expect(await failureOf(asApp[db], `ALTER TABLE "${table}" DISABLE TRIGGER ALL`)).toEqual(notOwner);
      expect(await failureOf(asApp[db], `ALTER TABLE "${table}" DISABLE TRIGGER USER`)).toEqual(notOwner);
      expect(await failureOf(asApp[db], `DROP TABLE "${table}"`)).toEqual(notOwner);
    });

    it.each(DATABASES)('%s: the role is no superuser, owns nothing, is a member of no role and cannot switch triggers off for its session', async (db) => {
      const client = asApp[db];
      const { rows: [me] } = await client.query(
        `SELECT current_user AS name, rolsuper, rolinherit, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = current_user`,
      );
      expect(me).toEqual({
        name: app.config.appDbRole, rolsuper: false, rolinherit: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false, rolreplication: false,
      });
      const { rows: owned } = await client.query(`SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`);
      expect(owned).toEqual([]);
      const { rows: memberOf } = await client.query(`SELECT rolname FROM pg_roles WHERE rolname <> current_user AND pg_has_role(current_user, oid, 'MEMBER')`);
      expect(memberOf).toEqual([]);
      expect(await failureOf(client, 'SET session_replication_role = replica')).toMatchObject({ code: '42501' });
      expect(await failureOf(client, 'SET ROLE postgres')).toMatchObject({ code: '42501' });
      expect(await appRoleProblems(db === 'core' ? app.core : app.clinical, db, app.config.appDbRole)).toEqual([]);
    });
  });

  describe('the grants', () => {
    it.each(DATABASES)('%s: on every table exactly SELECT, INSERT, UPDATE, DELETE, or SELECT, INSERT on append-only tables; never TRUNCATE, REFERENCES or TRIGGER; nothing to PUBLIC', async (db) => {
      const { rows } = await asOwner[db].query<{ name: string; privileges: string[] }>(
        `SELECT c.relname AS name, array(SELECT p FROM unnest($2::text[]) AS p WHERE has_table_privilege($1, c.oid, p)) AS privileges
           FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1`,
        [app.config.appDbRole, [...TABLE_PRIVILEGES]],
      );
      expect(rows.length).toBeGreaterThan(5);
      expect(Object.fromEntries(rows.map((r) => [r.name, r.privileges]))).toEqual(Object.fromEntries(rows.map((r) => [r.name, appTablePrivileges(db, r.name)])));
      for (const table of APPEND_ONLY_TABLES[db]) expect(appTablePrivileges(db, table)).toEqual(['SELECT', 'INSERT']);
      const { rows: toPublic } = await asOwner[db].query(
        `SELECT c.relname, a.privilege_type FROM pg_class c, aclexplode(c.relacl) a
          WHERE c.relnamespace = 'public'::regnamespace AND a.grantee = 0`,
      );
      expect(toPublic).toEqual([]);
    });

    it.each(DATABASES)('%s: CONNECT on the database and USAGE on the schema; no CREATE or TEMPORARY anywhere', async (db) => {
      const { rows: [granted] } = await asOwner[db].query(
        `SELECT has_database_privilege($1, current_database(), 'CONNECT') AS connect,
                has_database_privilege($1, current_database(), 'CREATE') AS create_schema,
                has_database_privilege($1, current_database(), 'TEMPORARY') AS temporary,
                has_schema_privilege($1, 'public', 'USAGE') AS usage,
                has_schema_privilege($1, 'public', 'CREATE') AS create_in_schema`,
        [app.config.appDbRole],
      );
      expect(granted).toEqual({ connect: true, create_schema: false, temporary: false, usage: true, create_in_schema: false });
      expect(await failureOf(asApp[db], 'CREATE TABLE public.grants_probe (id int)')).toMatchObject({ code: '42501' });
      expect(await failureOf(asApp[db], 'CREATE TEMPORARY TABLE grants_probe (id int)')).toMatchObject({ code: '42501' });
    });

    it('EXECUTE on the SECURITY DEFINER append function for the application role only, not PUBLIC', async () => {
      const { rows: [fn] } = await asOwner.clinical.query(
        `SELECT has_function_privilege($1, p.oid, 'EXECUTE') AS app,
                EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE a.grantee = 0) AS public
           FROM pg_proc p WHERE p.proname = 'clinical_access_log_append'`,
        [app.config.appDbRole],
      );
      expect(fn).toEqual({ app: true, public: false });
    });
  });

  describe('as the owner (superuser)', () => {
    it.each(APPEND_ONLY)('%s.%s: UPDATE, DELETE and TRUNCATE are rejected by the trigger', async (db, table) => {
      const rows = await rowCount(asOwner[db], table);
      expect(rows).toBeGreaterThan(0);
      for (const op of ['UPDATE', 'DELETE', 'TRUNCATE']) {
        const sql = { UPDATE: await updateAll(asOwner[db], table), DELETE: `DELETE FROM "${table}"`, TRUNCATE: `TRUNCATE "${table}"` }[op]!;
        expect(await failureOf(asOwner[db], sql)).toEqual({ code: '42501', message: `${table} is append-only: ${op} rejected` });
      }
      expect(await rowCount(asOwner[db], table)).toBe(rows);
    });
  });

  describe('the API refuses to serve as any other role', () => {
    it('startApp on the owner\'s connections fails, naming why', async () => {
      await expect(startApp(app.config, app.ownerCore, app.ownerClinical, { port: 0 }))
        .rejects.toThrow(/^refusing to serve: the core database's connection role connects as "postgres", not as the application role "visus_app" .*; is a superuser;/);
    });
  });

  describe('the embedded login role', () => {
    it('is created once, and its attributes and password are put back when they drift', async () => {
      const probe = { role: `grants_probe_${randomBytes(4).toString('hex')}`, password: 'first-password' };
      const admin = await connect(process.env.VISUS_TEST_PG_URL!);
      const attributes = async () => (await admin.query(
        'SELECT rolcanlogin, rolsuper, rolinherit, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = $1', [probe.role],
      )).rows;
      const restricted = [{ rolcanlogin: true, rolsuper: false, rolinherit: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false }];
      const logsIn = async (password: string) => {
        try {
          await (await connect(urlWithLogin(process.env.VISUS_TEST_PG_URL!, { role: probe.role, password }))).end();
          return true;
        } catch {
          return false;
        }
      };
      try {
        await ensureAppLoginRole(process.env.VISUS_TEST_PG_URL!, probe);
        await Promise.all([ensureAppLoginRole(process.env.VISUS_TEST_PG_URL!, probe), ensureAppLoginRole(process.env.VISUS_TEST_PG_URL!, probe)]);
        expect(await attributes()).toEqual(restricted);
        expect(await logsIn('first-password')).toBe(true);

        await admin.query(`ALTER ROLE ${probe.role} INHERIT CREATEDB`);
        await ensureAppLoginRole(process.env.VISUS_TEST_PG_URL!, { ...probe, password: 'second-password' });
        expect(await attributes()).toEqual(restricted);
        expect(await logsIn('second-password')).toBe(true);
        expect(await logsIn('first-password')).toBe(false);
      } finally {
        await admin.query(`DROP ROLE IF EXISTS ${probe.role}`);
        await admin.end();
      }
    });
  });
});
