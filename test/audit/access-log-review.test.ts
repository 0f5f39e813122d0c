/**
 * The review API of the clinical access log: filters, pages, the per-customer report for subject
 * access requests, its own permission, and that reading the log is itself logged.
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const LOG = `query($customerId: ID, $userId: ID, $storeId: ID, $from: DateTimeISO, $to: DateTimeISO, $first: Int, $after: String) {
  clinicalAccessLog(customerId: $customerId, userId: $userId, storeId: $storeId, from: $from, to: $to, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id occurredAt userId customerId storeId subject recordIds fields outcome requestId user { name } store { name } } }
  }
}`;

interface LogPage {
  clinicalAccessLog: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; userId: string; customerId: string; storeId: string | null; subject: string; recordIds: string[]; fields: string[]; outcome: string; user: { name: string } | null; store: { name: string } | null } }[];
  };
}

describe('clinical access log review', () => {
  let app: TestApp;
  let dpo: string;
  let optometrist: string;
  let optometristId: string;
  let dpoId: string;
  let patientId: string;
  let leedsId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [{ id: leedsId }] = await app.core.query(`SELECT id FROM store WHERE name = 'Leeds'`);
    [{ id: optometristId }] = await app.core.query(`SELECT id FROM staff_user WHERE email = '${EMAIL.leedsOptometrist}'`);
    [{ id: dpoId }] = await app.core.query(`SELECT id FROM staff_user WHERE email = '${EMAIL.dpo}'`);
    const withExams: { customer_id: string }[] = await app.clinical.query('SELECT DISTINCT customer_id FROM examination WHERE store_id = $1', [leedsId]);
    patientId = withExams[0].customer_id;
    optometrist = await app.login(EMAIL.leedsOptometrist);
    dpo = await app.login(EMAIL.dpo);
    for (let i = 0; i < 3; i++) {
      const read = await app.request('query($id: ID!) { customer(id: $id) { examinations { id history } } }', { id: patientId }, optometrist);
      expect(read.errors).toBeUndefined();
    }
  });
  afterAll(() => app.stop());

  it('lists a customer’s accesses, newest first, with who and where', async () => {
    const result = await app.request<LogPage>(LOG, { customerId: patientId }, dpo);
    expect(result.errors).toBeUndefined();
    const log = result.data!.clinicalAccessLog;
    expect(log.totalCount).toBe(3);
    const ids = log.edges.map((e) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    for (const { node } of log.edges) {
      expect(node).toMatchObject({ userId: optometristId, customerId: patientId, storeId: leedsId, subject: 'Examination', outcome: 'GRANTED' });
      expect(node.user?.name).toBe('Dr Omar Rahman');
      expect(node.store?.name).toBe('Leeds');
      expect(node.fields).toEqual(expect.arrayContaining(['history']));
    }
  });

  it('pages with first/after and filters by user, store and time', async () => {
    // Filtered to the optometrist's reads: the DPO's own reads of the log add entries as we go.
    const first = await app.request<LogPage>(LOG, { customerId: patientId, userId: optometristId, first: 2 }, dpo);
    expect(first.data!.clinicalAccessLog.edges).toHaveLength(2);
    expect(first.data!.clinicalAccessLog.pageInfo.hasNextPage).toBe(true);
    const second = await app.request<LogPage>(LOG, { customerId: patientId, userId: optometristId, first: 2, after: first.data!.clinicalAccessLog.pageInfo.endCursor }, dpo);
    expect(second.data!.clinicalAccessLog.edges).toHaveLength(1);
    const seen = [...first.data!.clinicalAccessLog.edges, ...second.data!.clinicalAccessLog.edges].map((e) => e.node.id);
    expect(new Set(seen).size).toBe(3);

    // The DPO never read this customer's records, only their access log.
    const byDpo = (await app.request<LogPage>(LOG, { customerId: patientId, userId: dpoId }, dpo)).data!.clinicalAccessLog;
    expect(byDpo.totalCount).toBeGreaterThan(0);
    expect(byDpo.edges.every((e) => e.node.subject === 'AccessLogEntry')).toBe(true);
    expect((await app.request<LogPage>(LOG, { userId: optometristId, storeId: leedsId }, dpo)).data!.clinicalAccessLog.totalCount).toBeGreaterThanOrEqual(3);
    const future = new Date(Date.now() + 3600_000).toISOString();
    // (entries by the optometrist only: the DPO's reads of the log are entries too)
    expect((await app.request<LogPage>(LOG, { customerId: patientId, from: future }, dpo)).data!.clinicalAccessLog.totalCount).toBe(0);
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await app.request<LogPage>(LOG, { customerId: patientId, userId: optometristId, from: past, to: new Date().toISOString() }, dpo)).data!.clinicalAccessLog.totalCount).toBe(3);
  });

  it('logs reading the log itself', async () => {
    const result = await app.request<LogPage>(LOG, { customerId: patientId, first: 1 }, dpo);
    const requestId = result.headers.get('x-request-id');
    const rows: { user_id: string; customer_id: string; subject: string; fields: string[] }[] = await app.clinical.query(
      'SELECT user_id, customer_id, subject, fields FROM clinical_access_log_entry WHERE request_id = $1', [requestId]);
    expect(rows).toEqual([{ user_id: dpoId, customer_id: patientId, subject: 'AccessLogEntry', fields: ['clinicalAccessLog'] }]);
  });

  it('gives a customer report fit for a subject access request', async () => {
    const result = await app.request<{ customerAccessReport: { occurredAt: string; subject: string; outcome: string; user: { name: string; profession: string } | null; store: { name: string } | null }[] }>(
      'query($id: ID!) { customerAccessReport(customerId: $id) { occurredAt subject outcome user { name profession } store { name } } }', { id: patientId }, dpo);
    expect(result.errors).toBeUndefined();
    const clinical = result.data!.customerAccessReport.filter((e) => e.subject === 'Examination');
    expect(clinical).toHaveLength(3);
    expect(clinical[0]).toMatchObject({ outcome: 'GRANTED', user: { name: 'Dr Omar Rahman', profession: 'OPTOMETRIST' }, store: { name: 'Leeds' } });
  });

  it('is refused without the permission, and answers NOT_FOUND / BAD_USER_INPUT as it should', async () => {
    const manager = await app.login(EMAIL.leedsManager);
    expect(errorCodes(await app.request(LOG, { customerId: patientId }, manager))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.request('query($id: ID!) { customerAccessReport(customerId: $id) { id } }', { id: patientId }, optometrist))).toEqual(['FORBIDDEN']);
    const [{ id: lakesideCustomer }] = await app.core.query(`SELECT c.id FROM customer c JOIN chain ch ON ch.id = c.chain_id WHERE ch.name = 'Lakeside Eyecare' LIMIT 1`);
    expect(errorCodes(await app.request('query($id: ID!) { customerAccessReport(customerId: $id) { id } }', { id: lakesideCustomer }, dpo))).toEqual(['NOT_FOUND']);
    const bad = await app.request(LOG, { customerId: 'not-an-id' }, dpo);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0].extensions?.field).toBe('customerId');
    // Another chain's manager sees none of Clearview's entries.
    const lakeside = await app.login(EMAIL.lakesideManager);
    expect((await app.request<LogPage>(LOG, { customerId: patientId }, lakeside)).data!.clinicalAccessLog.totalCount).toBe(0);
  });
});
