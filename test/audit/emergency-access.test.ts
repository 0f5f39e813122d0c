/**
 * Break the glass: a clinician without clinical visibility for a customer asks for emergency access with a
 * written reason; from the next request they read that customer's health records (and identity, nothing
 * else) until it expires; every read is logged as emergency access; the chain's reviewers see the grants
 * with their uses. Bad requests change nothing.
 */
import { AuditSubjectsForRoleManagers1795354900000 } from '../../migrations/core/1795354900000-AuditSubjectsForRoleManagers';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const LEEDS_OPTOMETRIST = EMAIL.leedsOptometrist;
const RECEPTION = EMAIL.leedsReception;
const DPO = EMAIL.dpo;

const REQUEST = `mutation($input: RequestEmergencyAccessInput!) {
  requestEmergencyAccess(input: $input) { id customerId reason grantedAt expiresAt inForce }
}`;

const CHART = `query($id: ID!) {
  customer(id: $id) {
    id firstName lastName dateOfBirth
    examinations { id history refractions { sphere } }
    spectaclePrescriptions { id rightSphere }
  }
}`;

interface Grant { id: string; customerId: string; reason: string; grantedAt: string; expiresAt: string; inForce: boolean }
interface Chart {
  customer: { id: string; firstName: string; examinations: { id: string; history: string | null }[] | null; spectaclePrescriptions: unknown[] | null } | null;
}

const REASON = 'Patient registered in York presents in Leeds with sudden vision loss; need previous refraction.';

describe('break the glass (emergency access)', () => {
  let app: TestApp;
  let optometristToken: string;
  let optometristId: string;
  let yorkPatient: string;
  let otherYorkPatient: string;
  let leedsCustomer: string;
  let otherChainCustomer: string;

  /** Rows of the York patient that a write could add. */
  async function writeCounts(): Promise<number[]> {
    const count = async (db: TestApp['core'], table: string): Promise<number> =>
      ((await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [yorkPatient])) as { n: number }[])[0].n;
    return Promise.all([
      count(app.clinical, 'clinical_note'), count(app.clinical, 'examination'), count(app.core, 'appointment'), count(app.clinical, 'spectacle_prescription'),
    ]);
  }

  async function grantCount(): Promise<number> {
    const [{ n }] = (await app.core.query('SELECT count(*)::int AS n FROM emergency_access')) as { n: number }[];
    return n;
  }

  beforeAll(async () => {
    app = await startTestApp();
    const stores = (await app.core.query("SELECT id, name, chain_id FROM store WHERE name IN ('York', 'Leeds')")) as { id: string; name: string; chain_id: string }[];
    const york = stores.find((s) => s.name === 'York')!;
    const leeds = stores.find((s) => s.name === 'Leeds')!;
    const patients = (await app.clinical.query(
      `SELECT DISTINCT e.customer_id FROM examination e JOIN spectacle_prescription p ON p.customer_id = e.customer_id
        WHERE e.store_id = $1 ORDER BY e.customer_id LIMIT 2`, [york.id],
    )) as { customer_id: string }[];
    [yorkPatient, otherYorkPatient] = patients.map((p) => p.customer_id);
    [{ id: leedsCustomer }] = (await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 LIMIT 1', [leeds.id])) as { id: string }[];
    [{ id: otherChainCustomer }] = (await app.core.query('SELECT id FROM customer WHERE chain_id <> $1 LIMIT 1', [leeds.chain_id])) as { id: string }[];
    [{ id: optometristId }] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [LEEDS_OPTOMETRIST])) as { id: string }[];
    optometristToken = await app.login(LEEDS_OPTOMETRIST);
  });
  afterAll(() => app.stop());

  it('refuses bad requests with the right error and grants nothing', async () => {
    const before = await grantCount();
    const cases: [Record<string, unknown>, string, string | null][] = [
      [{ customerId: yorkPatient, reason: 'urgent' }, 'BAD_USER_INPUT', 'input.reason'],
      [{ customerId: yorkPatient, reason: 'x'.repeat(1001) }, 'BAD_USER_INPUT', 'input.reason'],
      [{ customerId: 'not-an-id', reason: REASON }, 'BAD_USER_INPUT', 'input.customerId'],
      [{ customerId: leedsCustomer, reason: REASON }, 'BAD_USER_INPUT', 'input.customerId'], // already visible: needless
      [{ customerId: otherChainCustomer, reason: REASON }, 'NOT_FOUND', null],
    ];
    for (const [input, code, field] of cases) {
      const result = await app.request(REQUEST, { input }, optometristToken);
      expect(errorCodes(result)).toEqual([code]);
      if (field) expect(result.errors![0].extensions?.field).toBe(field);
    }
    // a receptionist may not break the glass at all
    const reception = await app.request(REQUEST, { input: { customerId: yorkPatient, reason: REASON } }, await app.login(RECEPTION));
    expect(errorCodes(reception)).toEqual(['FORBIDDEN']);
    expect(await grantCount()).toBe(before);
  });

  it('grants read of one customer’s health records and identity for 60 minutes, from the next request, logged as emergency access', async () => {
    // before: the York patient is out of the Leeds optometrist's scope
    expect(errorCodes(await app.request(CHART, { id: yorkPatient }, optometristToken))).toEqual(['NOT_FOUND']);

    const granted = await app.request<{ requestEmergencyAccess: Grant }>(REQUEST, { input: { customerId: yorkPatient, reason: `  ${REASON}  ` } }, optometristToken);
    expect(granted.errors).toBeUndefined();
    const grant = granted.data!.requestEmergencyAccess;
    expect(grant).toMatchObject({ customerId: yorkPatient, reason: REASON, inForce: true });
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(60 * 60_000);

    const chart = await app.request<Chart>(CHART, { id: yorkPatient }, optometristToken);
    expect(chart.errors).toBeUndefined();
    expect(chart.data!.customer!.examinations!.length).toBeGreaterThan(0);
    expect(chart.data!.customer!.spectaclePrescriptions!.length).toBeGreaterThan(0);
    expect(chart.data!.customer!.firstName).toBeTruthy();

    // every entry of that request names the emergency access, and no role assignment
    const requestId = chart.headers.get('x-request-id');
    const entries = (await app.clinical.query(
      'SELECT subject, outcome, emergency_access_id, assignment_ids FROM clinical_access_log_entry WHERE request_id = $1', [requestId],
    )) as { subject: string; outcome: string; emergency_access_id: string | null; assignment_ids: string[] }[];
    expect(entries.map((e) => e.subject).sort()).toEqual(['Examination', 'SpectaclePrescription']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ outcome: 'GRANTED', emergency_access_id: grant.id, assignment_ids: [] });
    }

    // only that customer, only reading, and only health records and identity
    expect(errorCodes(await app.request(CHART, { id: otherYorkPatient }, optometristToken))).toEqual(['NOT_FOUND']);
    const contact = await app.request<{ customer: { phone: string | null; appointments: unknown } | null }>(
      'query($id: ID!) { customer(id: $id) { phone appointments { id } } }', { id: yorkPatient }, optometristToken,
    );
    expect(errorCodes(contact).sort()).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const examId = chart.data!.customer!.examinations![0].id;
    const update = await app.request('mutation($id: ID!) { updateExamination(id: $id, input: { history: "edited" }) { id } }', { id: examId }, optometristToken);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(errorCodes(update)[0]);
    const [{ history }] = (await app.clinical.query('SELECT history FROM examination WHERE id = $1', [examId])) as { history: string | null }[];
    expect(history).not.toBe('edited');

    // break the glass is for reading: no write may target the customer (each is refused as if unseen)
    const [{ id: leedsStore }] = (await app.core.query("SELECT id FROM store WHERE name = 'Leeds'")) as { id: string }[];
    const writesBefore = await writeCounts();
    const writes: [string, Record<string, unknown>][] = [
      ['mutation($i: AddClinicalNoteInput!) { addClinicalNote(input: $i) { id } }', { customerId: yorkPatient, storeId: leedsStore, subjective: 'walk-in' }],
      ['mutation($i: CreateExaminationInput!) { createExamination(input: $i) { id } }', { customerId: yorkPatient, storeId: leedsStore }],
      ['mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { id } }', {
        customerId: yorkPatient, storeId: leedsStore, type: 'SIGHT_TEST', startsAt: '2027-01-05T10:00:00Z', endsAt: '2027-01-05T10:30:00Z',
      }],
      ['mutation($i: IssueSpectaclePrescriptionInput!) { issueSpectaclePrescription(input: $i) { id } }', { customerId: yorkPatient, storeId: leedsStore, outcome: 'NO_RX_NEEDED' }],
    ];
    for (const [mutation, input] of writes) {
      const write = await app.request(mutation, { i: input }, optometristToken);
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(errorCodes(write)[0]);
    }
    expect(await writeCounts()).toEqual(writesBefore);

    // one grant in force per customer
    const again = await app.request(REQUEST, { input: { customerId: yorkPatient, reason: REASON } }, optometristToken);
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);

    // the requester reads their own grant, but not how much it was used (that is for reviewers)
    const own = await app.request<{ emergencyAccesses: { totalCount: number; edges: { node: { id: string; uses: number | null } }[] } }>(
      '{ emergencyAccesses { totalCount edges { node { id reason uses } } } }', {}, optometristToken,
    );
    expect(own.data!.emergencyAccesses.totalCount).toBe(1);
    expect(own.data!.emergencyAccesses.edges[0].node.id).toBe(grant.id);
    expect(errorCodes(own)).toEqual(['FORBIDDEN']);
    expect(own.errors![0].message).toContain('uses');
  });

  it('shows the chain’s reviewers every grant with its uses, and the reads it granted', async () => {
    const dpo = await app.login(DPO);
    const queue = await app.request<{ emergencyAccesses: { totalCount: number; edges: { node: { id: string; reason: string; uses: number; inForce: boolean; user: { name: string } } }[] } }>(
      'query($u: ID) { emergencyAccesses(userId: $u) { totalCount edges { node { id reason uses inForce user { name } } } } }', { u: optometristId }, dpo,
    );
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.emergencyAccesses.totalCount).toBe(1);
    const node = queue.data!.emergencyAccesses.edges[0].node;
    expect(node).toMatchObject({ reason: REASON, inForce: true, user: { name: 'Dr Omar Rahman' } });
    expect(node.uses).toBe(2);

    const reads = await app.request<{ clinicalAccessLog: { totalCount: number; edges: { node: { customerId: string; emergencyAccessId: string; assignmentIds: string[] } }[] } }>(
      'query($e: ID) { clinicalAccessLog(emergencyAccessId: $e) { totalCount edges { node { customerId emergencyAccessId assignmentIds } } } }', { e: node.id }, dpo,
    );
    expect(reads.errors).toBeUndefined();
    expect(reads.data!.clinicalAccessLog.totalCount).toBe(2);
    for (const edge of reads.data!.clinicalAccessLog.edges) expect(edge.node).toEqual({ customerId: yorkPatient, emergencyAccessId: node.id, assignmentIds: [] });

    // another chain's manager sees none of it
    const other = await app.request<{ emergencyAccesses: { totalCount: number } }>('{ emergencyAccesses { totalCount } }', {}, await app.login(EMAIL.lakesideManager));
    expect(other.data!.emergencyAccesses.totalCount).toBe(0);
  });

  it('lasts as long as the chain’s audit settings say', async () => {
    const manager = await app.login(EMAIL.chainManager);
    const set = await app.request('mutation { updateAuditSettings(input: { emergencyAccessMinutes: 15 }) { emergencyAccessMinutes } }', {}, manager);
    expect(set.errors).toBeUndefined();
    const granted = await app.request<{ requestEmergencyAccess: Grant }>(REQUEST, { input: { customerId: otherYorkPatient, reason: REASON } }, optometristToken);
    expect(granted.errors).toBeUndefined();
    const grant = granted.data!.requestEmergencyAccess;
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(15 * 60_000);
  });

  it('ends by itself when it expires, even with the ability cached', async () => {
    // bring the grant's end forward (as the superuser: the table is append-only), and make the API rebuild abilities once
    const q = app.ownerCore.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    await q.query('ALTER TABLE emergency_access DISABLE TRIGGER USER');
    await q.query("UPDATE emergency_access SET expires_at = now() + interval '1500 milliseconds' WHERE user_id = $1 AND customer_id = $2", [optometristId, yorkPatient]);
    await q.query('ALTER TABLE emergency_access ENABLE TRIGGER USER');
    await q.query('UPDATE chain SET authz_version = authz_version + 1');
    await q.commitTransaction();
    await q.release();
    expect((await app.request<Chart>(CHART, { id: yorkPatient }, optometristToken)).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1700));
    // no version bump since: only the cached ability's own expiry can end it
    expect(errorCodes(await app.request(CHART, { id: yorkPatient }, optometristToken))).toEqual(['NOT_FOUND']);
  });

  it('lets a reviewer acknowledge a grant once, with a note; not the requester, not without the permission', async () => {
    const dpo = await app.login(DPO);
    const PENDING = 'query($p: Boolean) { emergencyAccesses(pending: $p) { totalCount edges { node { id acknowledged acknowledgement { note by { name } } } } } }';
    const ACK = 'mutation($id: ID!, $note: String!) { acknowledgeEmergencyAccess(id: $id, note: $note) { id acknowledged acknowledgement { note at by { name } } } }';
    const pending = await app.request<{ emergencyAccesses: { totalCount: number; edges: { node: { id: string; acknowledged: boolean } }[] } }>(PENDING, { p: true }, dpo);
    expect(pending.errors).toBeUndefined();
    // (other users' grants wait too: the demo seed's ended, unacknowledged one of the locum)
    const [{ n: others }] = (await app.core.query('SELECT count(*)::int AS n FROM emergency_access WHERE user_id <> $1', [optometristId])) as { n: number }[];
    expect(pending.data!.emergencyAccesses.totalCount).toBe(2 + others);
    // the first grant has ended (previous test); one still in force cannot be acknowledged yet: it may be used again
    const [{ id }] = (await app.core.query('SELECT id FROM emergency_access WHERE customer_id = $1', [yorkPatient])) as { id: string }[];
    const [{ id: inForce }] = (await app.core.query('SELECT id FROM emergency_access WHERE expires_at > now()')) as { id: string }[];
    const early = await app.request(ACK, { id: inForce, note: 'Looked at it' }, dpo);
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.errors![0].message).toContain('still in force');

    // the requester may neither acknowledge nor see the review state of their own grant
    expect(errorCodes(await app.request(ACK, { id, note: 'Looks fine to me' }, optometristToken))).toEqual(['FORBIDDEN']);
    const ownReview = await app.request('{ emergencyAccesses { edges { node { id acknowledged } } } }', {}, optometristToken);
    expect(errorCodes(ownReview)).toEqual(['FORBIDDEN', 'FORBIDDEN']); // one per own grant
    // bad notes and unknown ids change nothing
    expect(errorCodes(await app.request(ACK, { id, note: '   ' }, dpo))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.request(ACK, { id: '00000000-0000-4000-8000-000000000000', note: 'checked' }, dpo))).toEqual(['NOT_FOUND']);
    const malformed = await app.request(ACK, { id: 'nope', note: 'checked' }, dpo);
    expect([errorCodes(malformed), malformed.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'id']);

    const acked = await app.request<{ acknowledgeEmergencyAccess: { acknowledged: boolean; acknowledgement: { note: string; by: { name: string } } } }>(
      ACK, { id, note: ' Confirmed with the Leeds store: patient seen as an emergency. ' }, dpo,
    );
    expect(acked.errors).toBeUndefined();
    expect(acked.data!.acknowledgeEmergencyAccess).toMatchObject({
      acknowledged: true, acknowledgement: { note: 'Confirmed with the Leeds store: patient seen as an emergency.', by: { name: 'Diana Pearce' } },
    });
    expect(errorCodes(await app.request(ACK, { id, note: 'again' }, dpo))).toEqual(['BAD_USER_INPUT']);
    const after = await app.request<{ emergencyAccesses: { totalCount: number } }>(PENDING, { p: true }, dpo);
    expect(after.data!.emergencyAccesses.totalCount).toBe(1 + others);
    const done = await app.request<{ emergencyAccesses: { totalCount: number } }>(PENDING, { p: false }, dpo);
    expect(done.data!.emergencyAccesses.totalCount).toBe(1);
  });

  it('gives role managers of chains seeded before it manage on EmergencyAccess (migration), so they can grant it', async () => {
    const owner = app.ownerCore;
    const managerRoles = `SELECT r.id FROM role r WHERE r.name = 'Chain manager'`;
    await owner.query(`DELETE FROM role_permission WHERE subject IN ('EmergencyAccess', 'DataChangeEntry') AND role_id IN (${managerRoles})`);
    const runner = owner.createQueryRunner();
    try {
      await new AuditSubjectsForRoleManagers1795354900000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = (await owner.query(
      `SELECT subject, count(*)::int AS n FROM role_permission WHERE action = 'manage' AND fields IS NULL AND subject IN ('EmergencyAccess', 'DataChangeEntry')
          AND role_id IN (${managerRoles}) GROUP BY subject ORDER BY subject`,
    )) as { subject: string; n: number }[];
    const chains = ((await owner.query(`SELECT count(*)::int AS n FROM (${managerRoles}) m`)) as { n: number }[])[0].n;
    expect(rows).toEqual([{ subject: 'DataChangeEntry', n: chains }, { subject: 'EmergencyAccess', n: chains }]);
    // a role manager without full clinical access does not get them
    const [{ id: chainId }] = (await owner.query("SELECT id FROM chain ORDER BY name LIMIT 1")) as { id: string }[];
    const [{ id: adminRole }] = (await owner.query(
      "INSERT INTO role (chain_id, name) VALUES ($1, 'User admin (migration test)') RETURNING id", [chainId],
    )) as { id: string }[];
    await owner.query("INSERT INTO role_permission (role_id, action, subject, fields) VALUES ($1, 'manage', 'Role', NULL), ($1, 'manage', 'RoleAssignment', NULL)", [adminRole]);
    const again = owner.createQueryRunner();
    try {
      await new AuditSubjectsForRoleManagers1795354900000().up(again);
    } finally {
      await again.release();
    }
    const [{ n }] = (await owner.query("SELECT count(*)::int AS n FROM role_permission WHERE role_id = $1", [adminRole])) as { n: number }[];
    expect(n).toBe(2);
  });

  it('is append-only in the database', async () => {
    // The API's role has no privilege for them; the owner meets the trigger.
    for (const [db, refusal] of [[app.core, /permission denied/], [app.ownerCore, /append-only/]] as const) {
      for (const statement of ['UPDATE emergency_access SET reason = $1', 'DELETE FROM emergency_access WHERE reason <> $1', 'TRUNCATE emergency_access']) {
        await expect(db.query(statement, statement.startsWith('TRUNCATE') ? [] : ['x'])).rejects.toThrow(refusal);
      }
    }
  });
});
