/**
 * The review API of the data change logs: both logs merged newest first, filters and pages, bad input
 * naming the argument, its own permission (FORBIDDEN without it, rows and fields limited by the role's
 * scope and field list), and that every clinical value it returns is written to the clinical access log.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { publishWordings } from '../support/consent-wordings';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';

const DPO = EMAIL.dpo;
const MANAGER = EMAIL.leedsManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const RECEPTION = EMAIL.leedsReception;
const CHAIN_MANAGER = EMAIL.chainManager;
const LOCUM = EMAIL.locum;

const LOG = `query($customerId: ID, $userId: ID, $subject: String, $recordId: ID, $from: DateTimeISO, $to: DateTimeISO, $first: Int, $after: String) {
  dataChangeLog(customerId: $customerId, userId: $userId, subject: $subject, recordId: $recordId, from: $from, to: $to, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      id log occurredAt action subject recordType recordId customerId storeId userId requestId operationName userAgent clientAddress
      user { name } store { name } changes { field before after }
    } }
  }
}`;
const IDS_ONLY = `query($customerId: ID, $first: Int, $after: String) {
  dataChangeLog(customerId: $customerId, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id log action recordType } } }
}`;

interface Node {
  id: string; log: string; occurredAt: string; action: string; subject: string; recordType: string; recordId: string; customerId: string;
  storeId: string | null; userId: string; requestId: string; operationName: string | null; userAgent: string | null; clientAddress: string | null;
  user: { name: string } | null; store: { name: string } | null; changes: { field: string; before: unknown; after: unknown }[] | null;
}
interface Page {
  dataChangeLog: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: Node }[];
  };
}

describe('data change log review', () => {
  let app: TestApp;
  let leedsId: string;
  let yorkId: string;
  let patientId: string;
  let examId: string;
  let refractionId: string;
  let optometristId: string;
  let locumId: string;
  let consentAction: string;

  const sessions = sessionsFor(() => app);
  const as = <T = Page>(email: string, query: string, variables: Record<string, unknown> = {}) => sessions.as<T>(email, query, variables);
  async function page(email: string, variables: Record<string, unknown>): Promise<Page['dataChangeLog']> {
    const result = await as(email, LOG, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.dataChangeLog;
  }
  async function mutate(email: string, query: string, variables: Record<string, unknown>): Promise<Record<string, { id: string }>> {
    const result = await as<Record<string, { id: string }>>(email, query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }
  async function accessLogOf(userEmail: string): Promise<{ customer_id: string; record_ids: string[]; fields: string[] }[]> {
    const [{ id }]: { id: string }[] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [userEmail]);
    return app.clinical.query(
      `SELECT customer_id, record_ids::text[] AS record_ids, fields FROM clinical_access_log_entry WHERE subject = 'DataChangeEntry' AND user_id = $1 ORDER BY id`,
      [id],
    );
  }

  beforeAll(async () => {
    app = await startTestApp();
    await publishWordings(app, ['2026-11']); // the wording versions this suite's consent changes name
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    [{ id: yorkId }] = await app.core.query(`SELECT id FROM store WHERE name = 'York'`);
    [{ id: optometristId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [OPTOMETRIST]);
    [{ id: locumId }] = await app.core.query('SELECT id FROM staff_user WHERE email = $1', [LOCUM]);
    [{ id: patientId }] = await app.core.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' AND date_of_birth < current_date - interval '20 years' ORDER BY id LIMIT 1`, [leedsId]);

    // 1 personal, 2 clinical (examination + refraction), 1 personal, 1 clinical: interleaved in time
    await mutate(MANAGER, 'mutation($id: ID!) { updateCustomer(id: $id, input: { phone: "0113 496 0101" }) { id } }', { id: patientId });
    examId = (await mutate(OPTOMETRIST, 'mutation Draft($input: CreateExaminationInput!) { createExamination(input: $input) { id } }', {
      input: { customerId: patientId, storeId: leedsId, history: 'Migraine with aura.', refractions: [{ eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -2.5 }] },
    })).createExamination.id;
    [{ id: refractionId }] = await app.clinical.query('SELECT id FROM refraction WHERE examination_id = $1', [examId]);
    const sms: unknown[] = await app.core.query(`SELECT 1 FROM consent WHERE customer_id = $1 AND channel = 'SMS'`, [patientId]);
    consentAction = sms.length ? 'UPDATE' : 'CREATE';
    await mutate(MANAGER, 'mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { id } }', {
      input: { customerId: patientId, channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: '2026-11' },
    });
    await mutate(OPTOMETRIST, 'mutation($id: ID!) { updateExamination(id: $id, input: { history: "Migraine with aura; no diabetes." }) { id } }', { id: examId });
  });
  afterAll(() => app.stop());

  it('merges both logs for a customer, newest first, with who, where and the values before and after', async () => {
    const log = await page(DPO, { customerId: patientId });
    expect(log.totalCount).toBe(5);
    expect(log.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(log.edges.map((e) => [e.node.log, e.node.action, e.node.recordType])).toEqual([
      ['CLINICAL', 'UPDATE', 'Examination'],
      ['PERSONAL', consentAction, 'Consent'],
      ['CLINICAL', 'CREATE', 'Refraction'],
      ['CLINICAL', 'CREATE', 'Examination'],
      ['PERSONAL', 'UPDATE', 'Customer'],
    ]);
    const times = log.edges.map((e) => Date.parse(e.node.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(log.edges.map((e) => e.node.id)).toEqual([expect.stringMatching(/^clinical:\d+$/), expect.stringMatching(/^personal:\d+$/), expect.stringMatching(/^clinical:\d+$/), expect.stringMatching(/^clinical:\d+$/), expect.stringMatching(/^personal:\d+$/)]);

    const [update, , refraction, , customer] = log.edges.map((e) => e.node);
    expect(update).toMatchObject({
      subject: 'Examination', recordId: examId, customerId: patientId, storeId: leedsId, userId: optometristId,
      user: { name: 'Dr Omar Rahman' }, store: { name: 'Leeds' }, userAgent: 'node',
    });
    expect(update.changes).toEqual([{ field: 'history', before: 'Migraine with aura.', after: 'Migraine with aura; no diabetes.' }]);
    expect(refraction).toMatchObject({ subject: 'Examination', recordId: refractionId });
    expect(refraction.changes).toEqual(expect.arrayContaining([{ field: 'sphere', before: null, after: -2.5 }, { field: 'examinationId', before: null, after: examId }]));
    expect(log.edges[3].node.operationName).toBe('Draft');
    expect(customer).toMatchObject({ subject: 'Customer', recordId: patientId, user: { name: 'Laura Fenwick' } });
    expect(customer.changes).toEqual([{ field: 'phone', before: expect.anything(), after: '0113 496 0101' }]);
  });

  it('pages across both logs with first/after: every entry once, in the same order', async () => {
    const all = (await page(DPO, { customerId: patientId })).edges.map((e) => e.node.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i += 1) {
      const result: GraphQLResult<Page> = await as<Page>(DPO, IDS_ONLY, { customerId: patientId, first: 2, after });
      expect(result.errors).toBeUndefined();
      const log: Page['dataChangeLog'] = result.data!.dataChangeLog;
      expect(log.totalCount).toBe(5);
      seen.push(...log.edges.map((e) => e.node.id));
      expect(log.pageInfo.hasNextPage).toBe(i < 2);
      after = log.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('pages entries of both logs that share one instant in a fixed order: clinical before personal, higher id first', async () => {
    const [{ chain_id: chainId }]: { chain_id: string }[] = await app.core.query('SELECT chain_id FROM store WHERE id = $1', [leedsId]);
    const [{ id: otherPatient }]: { id: string }[] = await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 AND id <> $2 ORDER BY id LIMIT 1', [leedsId, patientId]);
    const instant = '2026-01-15T10:00:00.123456Z';
    const insert = `INSERT INTO %s (chain_id, occurred_at, user_id, session_id, request_id, action, subject, record_type, record_id, customer_id, store_id, changes)
      SELECT $1, $2, $3, $3, 'seeded', 'UPDATE', $4, $4, gen_random_uuid(), $5, $6, '{"x": {"before": 1, "after": 2}}' FROM generate_series(1, 3)`;
    // (as the owner: entries the application role writes are dated now whatever it supplies)
    await app.ownerCore.query(insert.replace('%s', 'personal_change_log_entry'), [chainId, instant, optometristId, 'Customer', otherPatient, leedsId]);
    await app.ownerClinical.query(insert.replace('%s', 'clinical_change_log_entry'), [chainId, instant, optometristId, 'ClinicalNote', otherPatient, leedsId]);

    // (the API's times have millisecond precision; the stored instant has microseconds)
    const all = await page(DPO, { customerId: otherPatient, from: '2026-01-15T10:00:00.123Z', to: '2026-01-15T10:00:00.124Z' });
    expect(all.totalCount).toBe(6);
    const ids = all.edges.map((e) => e.node.id);
    const numbers = (log: string) => ids.filter((id) => id.startsWith(log)).map((id) => Number(id.split(':')[1]));
    expect(ids.slice(0, 3).every((id) => id.startsWith('clinical:'))).toBe(true);
    expect(numbers('clinical')).toEqual([...numbers('clinical')].sort((a, b) => b - a));
    expect(numbers('personal')).toEqual([...numbers('personal')].sort((a, b) => b - a));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const result: GraphQLResult<Page> = await as<Page>(DPO, IDS_ONLY, { customerId: otherPatient, first: 1, after });
      const log: Page['dataChangeLog'] = result.data!.dataChangeLog;
      seen.push(...log.edges.map((e) => e.node.id));
      after = log.pageInfo.hasNextPage ? log.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(ids);
  });

  it('filters by subject, user, record and time', async () => {
    const consent = await page(DPO, { customerId: patientId, subject: 'Consent' });
    expect(consent.edges.map((e) => e.node.recordType)).toEqual(['Consent']);
    const exams = await page(DPO, { customerId: patientId, subject: 'Examination' });
    expect(exams.totalCount).toBe(3);
    expect(exams.edges.every((e) => e.node.log === 'CLINICAL')).toBe(true);
    const byOptometrist = await page(DPO, { customerId: patientId, userId: optometristId });
    expect(byOptometrist.edges.map((e) => e.node.recordType)).toEqual(['Examination', 'Refraction', 'Examination']);
    const oneRecord = await page(DPO, { recordId: examId });
    expect(oneRecord.edges.map((e) => e.node.action)).toEqual(['UPDATE', 'CREATE']);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await page(DPO, { customerId: patientId, from: future })).totalCount).toBe(0);
    expect((await page(DPO, { customerId: patientId, to: past })).totalCount).toBe(0);
    expect((await page(DPO, { customerId: patientId, from: past, to: future })).totalCount).toBe(5);
  });

  it.each([
    [{ customerId: 'not-an-id' }, 'customerId'],
    [{ userId: '42' }, 'userId'],
    [{ recordId: 'x' }, 'recordId'],
    [{ subject: 'Refraction' }, 'subject'],
    [{ first: 0 }, 'first'],
    [{ first: 201 }, 'first'],
    [{ after: 'not-a-cursor' }, 'after'],
    [{ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
  ])('BAD_USER_INPUT naming the argument for %j', async (variables, field) => {
    const result = await as(DPO, LOG, variables);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions?.field).toBe(field);
  });

  it.each([[OPTOMETRIST], [RECEPTION], [MANAGER]])('is FORBIDDEN for %s (no read on DataChangeEntry)', async (email) => {
    const result = await as(email, LOG, { customerId: patientId });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.data?.dataChangeLog ?? null).toBeNull();
  });

  it('writes each clinical value it returns to the clinical access log, and nothing for personal values or unselected changes', async () => {
    const before = (await accessLogOf(DPO)).length;
    await page(DPO, { customerId: patientId, subject: 'Customer' });
    await as(DPO, IDS_ONLY, { customerId: patientId });
    expect(await accessLogOf(DPO)).toHaveLength(before);

    await page(DPO, { customerId: patientId });
    const written = (await accessLogOf(DPO)).slice(before);
    expect(written).toHaveLength(1);
    expect(written[0].customer_id).toBe(patientId);
    expect([...written[0].record_ids].sort()).toEqual([examId, refractionId].sort());
    expect(written[0].fields).toEqual(expect.arrayContaining(['Examination.history', 'Examination.practitionerId', 'Refraction.sphere', 'Refraction.eye']));
    expect(written[0].fields.some((f) => f.startsWith('Customer.') || f.startsWith('Consent.'))).toBe(false);
  });

  it('limits a role to the entries of its stores and the fields it names', async () => {
    // a change at York, by the locum (optometrist there)
    const [{ id: yorkPatient }] = await app.core.query(`SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1`, [yorkId]);
    await mutate(LOCUM, 'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }', { input: { customerId: yorkPatient, storeId: yorkId, plan: 'Recall in 12 months' } });

    const role = await mutate(CHAIN_MANAGER, 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', {
      input: { name: 'Leeds change auditor', permissions: [{ action: 'read', subject: 'DataChangeEntry', fields: ['id', 'log', 'occurredAt', 'action', 'recordType', 'recordId', 'customerId', 'storeId'] }] },
    });
    await mutate(CHAIN_MANAGER, 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', {
      input: { userId: locumId, roleId: role.createRole.id, scopeType: 'STORE', storeId: leedsId },
    });

    const everything = await page(DPO, { first: 200 });
    const leedsOnly = everything.edges.filter((e) => e.node.storeId === leedsId).length;
    expect(everything.edges.some((e) => e.node.storeId === yorkId)).toBe(true);

    const result = await as(LOCUM, `query { dataChangeLog(first: 200) { totalCount edges { node { id log recordId storeId recordType changes { field } } } } }`);
    const log = result.data!.dataChangeLog;
    expect(log.totalCount).toBe(leedsOnly);
    expect(log.edges).toHaveLength(leedsOnly);
    expect(log.edges.every((e) => e.node.storeId === leedsId)).toBe(true);
    // the values are not among the role's fields: each `changes` is FORBIDDEN and resolves to null
    expect(log.edges.every((e) => e.node.changes === null)).toBe(true);
    expect(new Set(errorCodes(result))).toEqual(new Set(['FORBIDDEN']));
    expect(result.errors![0].message).toContain('DataChangeEntry.changes');
    // refused reads of clinical values are logged as DENIED, one per clinical entry (personal entries: nothing)
    const clinicalEntries = (log.edges as { node: { log: string; recordId: string } }[]).filter((e) => e.node.log === 'CLINICAL');
    expect(clinicalEntries.length).toBeGreaterThan(0);
    const [{ id: locumUser }] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [LOCUM])) as { id: string }[];
    const denied = (await app.clinical.query(
      `SELECT outcome, fields, record_ids::text[] AS record_ids FROM clinical_access_log_entry WHERE subject = 'DataChangeEntry' AND user_id = $1`, [locumUser],
    )) as { outcome: string; fields: string[]; record_ids: string[] }[];
    expect(denied.every((d) => d.outcome === 'DENIED' && d.fields.includes('changes'))).toBe(true);
    expect(new Set(denied.flatMap((d) => d.record_ids))).toEqual(new Set(clinicalEntries.map((e) => e.node.recordId)));
  });
});
