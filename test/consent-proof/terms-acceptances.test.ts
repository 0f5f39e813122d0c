/**
 * Terms and privacy notice (issue 11, item 4): recordTermsAcceptance keeps each acceptance per customer with its
 * document, version, time, recorder and source (IN_STORE unless given; EMAIL_LINK refused), append-only, with a
 * change-log entry; Customer.termsAcceptances lists them newest first, field by field under TermsAcceptance. The
 * receptionist may record them; the optometrist may only read them; a customer outside the caller's stores is
 * NOT_FOUND.
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { leedsCustomers, narrowRole } from './support';

const RECORD = `mutation($customerId: ID!, $document: LegalDocument!, $version: String!, $source: ConsentSource) {
  recordTermsAcceptance(customerId: $customerId, document: $document, version: $version, source: $source) { id document version acceptedAt recordedById source } }`;
const READ = 'query($id: ID!) { customer(id: $id) { termsAcceptances { id customerId document version acceptedAt recordedById source } } }';

interface Acceptance { id: string; customerId?: string; document: string; version: string; acceptedAt: string; recordedById: string | null; source: string }

describe('terms acceptances', () => {
  let app: TestApp;
  let customers: string[];
  let yorkCustomer: string;
  let ids: Record<string, string>;
  const sessions = sessionsFor(() => app);
  const as = sessions.as;

  beforeAll(async () => {
    app = await startTestApp();
    customers = await leedsCustomers(app, 4);
    [{ id: yorkCustomer }] = await app.ownerCore.query(`SELECT c.id::text AS id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'York' LIMIT 1`);
    const rows: { email: string; id: string }[] = await app.ownerCore.query('SELECT email, id::text AS id FROM staff_user');
    ids = Object.fromEntries(rows.map((r) => [r.email, r.id]));
  });
  afterAll(() => app?.stop());

  it('records acceptances (receptionist, assistant), lists them newest first with who, when and source, and logs each', async () => {
    const customer = customers[0];
    const since: { n: string }[] = await app.ownerCore.query('SELECT coalesce(max(id), 0)::text AS n FROM personal_change_log_entry');
    const first = await as<{ recordTermsAcceptance: Acceptance }>(EMAIL.leedsReception, RECORD, { customerId: customer, document: 'TERMS', version: ' 2025-04 ' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordTermsAcceptance).toMatchObject({ document: 'TERMS', version: '2025-04', recordedById: ids[EMAIL.leedsReception], source: 'IN_STORE' });
    const second = await as<{ recordTermsAcceptance: Acceptance }>(EMAIL.leedsAssistant, RECORD, { customerId: customer, document: 'PRIVACY_NOTICE', version: '3.1', source: 'PAPER_FORM' });
    expect(second.errors).toBeUndefined();

    const read = await as<{ customer: { termsAcceptances: Acceptance[] } }>(EMAIL.leedsOptometrist, READ, { id: customer });
    expect(read.errors).toBeUndefined();
    expect(read.data!.customer.termsAcceptances).toEqual([
      { ...second.data!.recordTermsAcceptance, customerId: customer, recordedById: ids[EMAIL.leedsAssistant], source: 'PAPER_FORM', document: 'PRIVACY_NOTICE', version: '3.1' },
      { ...first.data!.recordTermsAcceptance, customerId: customer },
    ]);
    expect(new Date(read.data!.customer.termsAcceptances[0].acceptedAt).getTime()).toBeGreaterThanOrEqual(new Date(read.data!.customer.termsAcceptances[1].acceptedAt).getTime());

    const entries: { subject: string; record_type: string; record_id: string; action: string; user_id: string }[] = await app.ownerCore.query(
      `SELECT subject, record_type, record_id::text AS record_id, action, user_id::text AS user_id FROM personal_change_log_entry WHERE id > $1 AND customer_id = $2 ORDER BY id`,
      [since[0].n, customer]);
    expect(entries).toEqual([
      { subject: 'TermsAcceptance', record_type: 'TermsAcceptance', record_id: first.data!.recordTermsAcceptance.id, action: 'CREATE', user_id: ids[EMAIL.leedsReception] },
      { subject: 'TermsAcceptance', record_type: 'TermsAcceptance', record_id: second.data!.recordTermsAcceptance.id, action: 'CREATE', user_id: ids[EMAIL.leedsAssistant] },
    ]);
    // the DPO finds them in the data change log
    const log = await as<{ dataChangeLog: { edges: { node: { subject: string } }[] } }>(EMAIL.dpo,
      'query($id: ID!) { dataChangeLog(customerId: $id, subject: "TermsAcceptance", first: 5) { edges { node { subject } } } }', { id: customer });
    expect(log.errors).toBeUndefined();
    expect(log.data!.dataChangeLog.edges).toHaveLength(2);
    // append-only
    await expect(app.core.query(`UPDATE terms_acceptance SET version = 'x' WHERE customer_id = $1`, [customer])).rejects.toThrow();
  });

  it('refuses bad input with BAD_USER_INPUT naming the argument, and changes nothing', async () => {
    const customer = customers[1];
    const cases: [Record<string, unknown>, string][] = [
      [{ version: '' }, 'version'], [{ version: '   ' }, 'version'], [{ version: 'v'.repeat(51) }, 'version'], [{ source: 'EMAIL_LINK' }, 'source'],
    ];
    for (const [change, field] of cases) {
      const result = await as(EMAIL.leedsReception, RECORD, { customerId: customer, document: 'TERMS', version: '2025-04', ...change });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions?.field).toBe(field);
    }
    expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM terms_acceptance WHERE customer_id = $1', [customer])).toEqual([{ n: 0 }]);
  });

  it('is FORBIDDEN to a role without create TermsAcceptance, NOT_FOUND outside the caller’s stores', async () => {
    expect(errorCodes(await as(EMAIL.leedsOptometrist, RECORD, { customerId: customers[2], document: 'TERMS', version: '2025-04' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as(EMAIL.bi, RECORD, { customerId: customers[2], document: 'TERMS', version: '2025-04' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as(EMAIL.leedsReception, RECORD, { customerId: yorkCustomer, document: 'TERMS', version: '2025-04' }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await as(EMAIL.lakesideManager, RECORD, { customerId: customers[2], document: 'TERMS', version: '2025-04' }))).toEqual(['NOT_FOUND']);
    expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM terms_acceptance WHERE customer_id = ANY($1)', [[customers[2], yorkCustomer]])).toEqual([{ n: 0 }]);
  });

  it('is read field by field: a role with some fields sees those; a role without the subject is FORBIDDEN the list', async () => {
    const customer = customers[3];
    expect((await as(EMAIL.leedsReception, RECORD, { customerId: customer, document: 'PRIVACY_NOTICE', version: '2026-01' })).errors).toBeUndefined();
    await narrowRole(sessions, EMAIL.chainManager, 'Optometrist', 'TermsAcceptance', ['id', 'document', 'version']);
    const narrowed = await as<{ customer: { termsAcceptances: Partial<Acceptance>[] } }>(EMAIL.leedsOptometrist,
      'query($id: ID!) { customer(id: $id) { termsAcceptances { document version recordedById } } }', { id: customer });
    expect(errorCodes(narrowed)).toEqual(['FORBIDDEN']);
    expect(narrowed.errors![0].message).toContain('TermsAcceptance.recordedById');
    expect(narrowed.data!.customer.termsAcceptances).toEqual([{ document: 'PRIVACY_NOTICE', version: '2026-01', recordedById: null }]);

    await narrowRole(sessions, EMAIL.chainManager, 'Optometrist', 'TermsAcceptance');
    const without = await as<{ customer: { id: string; termsAcceptances: unknown } }>(EMAIL.leedsOptometrist, 'query($id: ID!) { customer(id: $id) { id termsAcceptances { id } } }', { id: customer });
    expect(errorCodes(without)).toEqual(['FORBIDDEN']);
    expect(without.data!.customer).toEqual({ id: customer, termsAcceptances: null });
  });
});
