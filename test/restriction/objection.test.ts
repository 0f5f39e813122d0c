/**
 * Objection to direct marketing (Art. 21) and the hashed suppression list through GraphQL with real
 * sessions: an objection records its event, a suppression holding only keyed hashes (no plaintext email or
 * phone, no customer), and a change-log entry; a repeated objection is another event; EMAIL_LINK and roles
 * without update on Consent.objection are refused; a customer re-created or updated with the same email
 * (other case and spaces) or phone (other formatting) shows as suppressed; the seeded objected customer.
 */
import { contactHashes } from '../../src/services/consent/contact-hash-sql';
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const OBJECT = `mutation($c: ID!, $s: ConsentSource!) { recordMarketingObjection(customerId: $c, source: $s) { objected since source suppressed history { id source actor recordedById occurredAt } } }`;
const READ = `query($c: ID!) { customer(id: $c) { marketingObjection { objected since source suppressed history { id source actor } } } }`;
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id marketingObjection { objected suppressed } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }`;

interface Objection { objected: boolean; since: string | null; source: string | null; suppressed: boolean; history: { id: string; source: string; actor: string; recordedById?: string }[] }
interface CustomerRow { id: string; email: string; phone: string; chainId: string }

describe('objection to direct marketing and suppression', () => {
  let t: TestApp;
  let assistant: SignedInClient;
  let reception: SignedInClient;
  let optometrist: SignedInClient;
  let customers: CustomerRow[];
  let leeds: string;

  beforeAll(async () => {
    t = await startTestApp();
    assistant = await signIn(t, 'leedsAssistant');
    reception = await signIn(t, 'leedsReception');
    optometrist = await signIn(t, 'leedsOptometrist');
    leeds = ((await t.core.query(`SELECT id FROM store WHERE name = 'Leeds'`)) as { id: string }[])[0].id;
    customers = (await t.core.query(
      `SELECT c.id, c.email, c.phone, c.chain_id AS "chainId" FROM customer c
        WHERE c.home_store_id = $1 AND c.status = 'ACTIVE' AND c.email IS NOT NULL AND c.phone IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM marketing_objection o WHERE o.customer_id = c.id)
        ORDER BY c.id LIMIT 10 OFFSET 30`, [leeds],
    )) as CustomerRow[];
  });
  afterAll(() => t.stop());

  const count = async (sql: string, params: unknown[] = []) => Number(((await t.core.query(sql, params)) as { n: number }[])[0].n);

  it('a customer who never objected and matches no suppression reads as neither', async () => {
    const res = await assistant.request<{ customer: { marketingObjection: Objection } }>(READ, { c: customers[0].id });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer.marketingObjection).toEqual({ objected: false, since: null, source: null, suppressed: false, history: [] });
  });

  it('an objection records the event, a suppression of keyed hashes only, and a change-log entry', async () => {
    const c = customers[1];
    const before = await count('SELECT count(*)::int AS n FROM marketing_suppression');
    const res = await assistant.request<{ recordMarketingObjection: Objection }>(OBJECT, { c: c.id, s: 'IN_STORE' });
    expect(res.errors).toBeUndefined();
    const state = res.data!.recordMarketingObjection;
    expect(state).toMatchObject({ objected: true, source: 'IN_STORE', suppressed: true });
    expect(state.history).toHaveLength(1);
    expect(state.history[0]).toMatchObject({ source: 'IN_STORE', actor: 'STAFF' });

    const rows = (await t.core.query(
      `SELECT s.*, row_to_json(s)::text AS text FROM marketing_suppression s WHERE s.objection_id = $1`, [state.history[0].id],
    )) as { chain_id: string; email_hash: Buffer; phone_hash: Buffer; text: string }[];
    expect(rows).toHaveLength(1);
    expect(await count('SELECT count(*)::int AS n FROM marketing_suppression')).toBe(before + 1);
    const expected = contactHashes(c.chainId, c, t.config.suppressionKey);
    expect(rows[0].email_hash).toEqual(expected.emailHash);
    expect(rows[0].phone_hash).toEqual(expected.phoneHash);
    // Only hashes: neither the email, its local part, the phone's digits nor the customer's id appear anywhere in the row.
    const digits = c.phone.replace(/\D/g, '');
    for (const secret of [c.email, c.email.split('@')[0], digits, c.phone, c.id]) expect(rows[0].text.toLowerCase()).not.toContain(secret.toLowerCase());
    const columns = (await t.core.query(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'marketing_suppression' ORDER BY column_name`,
    )) as { name: string }[];
    expect(columns.map((col) => col.name)).toEqual(['chain_id', 'created_at', 'email_hash', 'id', 'objection_id', 'phone_hash']);

    const log = (await t.core.query(
      `SELECT action, subject, customer_id AS "customerId" FROM personal_change_log_entry WHERE record_type = 'MarketingObjection' AND record_id = $1`,
      [state.history[0].id],
    )) as { action: string; subject: string; customerId: string }[];
    expect(log).toEqual([{ action: 'CREATE', subject: 'Consent', customerId: c.id }]);
  });

  it('a second objection is accepted as another event; the state keeps the first one’s date and source', async () => {
    const c = customers[2];
    const first = await assistant.request<{ recordMarketingObjection: Objection }>(OBJECT, { c: c.id, s: 'PHONE' });
    const second = await assistant.request<{ recordMarketingObjection: Objection }>(OBJECT, { c: c.id, s: 'PAPER_FORM' });
    expect(second.errors).toBeUndefined();
    expect(second.data?.recordMarketingObjection).toMatchObject({ objected: true, source: 'PHONE', since: first.data?.recordMarketingObjection.since });
    expect(second.data?.recordMarketingObjection.history.map((e) => e.source)).toEqual(['PAPER_FORM', 'PHONE']);
    expect(await count('SELECT count(*)::int AS n FROM marketing_objection WHERE customer_id = $1', [c.id])).toBe(2);
  });

  it('EMAIL_LINK is BAD_USER_INPUT on source; roles without update on Consent.objection are FORBIDDEN; nothing is written', async () => {
    const c = customers[3];
    const bad = await assistant.request(OBJECT, { c: c.id, s: 'EMAIL_LINK' });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0].extensions?.field).toBe('source');
    for (const who of [reception, optometrist]) expect(errorCodes(await who.request(OBJECT, { c: c.id, s: 'IN_STORE' }))).toEqual(['FORBIDDEN']);
    expect(await count('SELECT count(*)::int AS n FROM marketing_objection WHERE customer_id = $1', [c.id])).toBe(0);
  });

  it('a re-created customer with the same email (other case, spaces) or the same phone (other formatting) is suppressed', async () => {
    const c = customers[4];
    expect((await assistant.request(OBJECT, { c: c.id, s: 'IN_STORE' })).errors).toBeUndefined();
    const base = { homeStoreId: leeds, firstName: 'Re', lastName: 'Created', dateOfBirth: '1980-02-03' };
    const [local, domain] = c.email.split('@');
    const byEmail = await assistant.request<{ createCustomer: { id: string; marketingObjection: Objection } }>(CREATE,
      { input: { ...base, email: `  ${local.toUpperCase()}@${domain}  ` } });
    expect(byEmail.errors).toBeUndefined();
    expect(byEmail.data?.createCustomer.marketingObjection).toEqual({ objected: false, suppressed: true });

    const digits = c.phone.replace(/\D/g, '');
    const formatted = `${digits.slice(0, 5)}-${digits.slice(5, 8)} (${digits.slice(8)})`;
    const byPhone = await assistant.request<{ createCustomer: { id: string; marketingObjection: Objection } }>(CREATE,
      { input: { ...base, phone: formatted, email: 'someone.else@example.org' } });
    expect(byPhone.errors).toBeUndefined();
    expect(byPhone.data?.createCustomer.marketingObjection).toEqual({ objected: false, suppressed: true });

    const unrelated = await assistant.request<{ createCustomer: { id: string; marketingObjection: Objection } }>(CREATE,
      { input: { ...base, phone: '07000 111222', email: 'unrelated.person@example.org' } });
    expect(unrelated.data?.createCustomer.marketingObjection).toEqual({ objected: false, suppressed: false });

    // An existing customer who takes on the suppressed email is suppressed from then on.
    const id = unrelated.data!.createCustomer.id;
    expect((await assistant.request(UPDATE, { id, input: { email: c.email.toUpperCase() } })).errors).toBeUndefined();
    const read = await assistant.request<{ customer: { marketingObjection: Objection } }>(READ, { c: id });
    expect(read.data?.customer.marketingObjection).toMatchObject({ objected: false, suppressed: true, history: [] });
  });

  it('the demo seed has one objected Leeds customer, recorded by the assistant, with its suppression', async () => {
    const rows = (await t.core.query(
      `SELECT o.id, o.customer_id AS "customerId" FROM marketing_objection o JOIN customer c ON c.id = o.customer_id
        WHERE c.home_store_id = $1 AND o.recorded_by_id = (SELECT id FROM staff_user WHERE email = 'leeds.assistant@clearview.example')
          AND o.occurred_at < now() - interval '1 day'`, [leeds],
    )) as { id: string; customerId: string }[];
    expect(rows).toHaveLength(1);
    expect(await count('SELECT count(*)::int AS n FROM marketing_suppression WHERE objection_id = $1 AND email_hash IS NOT NULL AND phone_hash IS NOT NULL', [rows[0].id])).toBe(1);
    const res = await assistant.request<{ customer: { marketingObjection: Objection } }>(READ, { c: rows[0].customerId });
    expect(res.data?.customer.marketingObjection).toMatchObject({ objected: true, suppressed: true, source: 'IN_STORE' });
  });
});
