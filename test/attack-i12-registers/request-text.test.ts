/**
 * Attack on the text of the request register (issue 12, item 1): every step's reason, method, note and outcome is
 * kept in the request's append-only history for a reviewer or an authority, and the house rule for such text
 * (src/audit/audit-text.ts) is that it shows exactly what it says. The breach register and records of processing
 * refuse text-direction overrides; the request register took them: found by recording a request whose notes held
 * U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders what a reviewer reads. Now each such text is refused naming the
 * argument (BAD_USER_INPUT), nothing written; line breaks in notes stay allowed.
 */
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const CREATE = 'mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id notes } }';

describe('attack: text-direction overrides in the request register', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let customerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    customerId = (await t.ownerCore.query(`SELECT c.id::text AS id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Bath' AND c.status = 'ACTIVE' ORDER BY c.id LIMIT 1`))[0].id;
  });
  afterAll(() => t.stop());
  const input = (notes?: string) => ({ customerId, type: 'ACCESS', receivedAt: new Date(Date.now() - HOUR).toISOString(), channel: 'EMAIL', ...(notes === undefined ? {} : { notes }) });
  const rows = async () => Number((await t.ownerCore.query('SELECT (SELECT count(*) FROM data_request) + (SELECT count(*) FROM data_request_event) AS n'))[0].n);
  const field = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.field;

  it('refuses an override in the notes and in every step’s text, and writes nothing', async () => {
    const before = await rows();
    const res = await dpo.request(CREATE, { input: input('Wants a copy of \u202Esdrocer\u202C everything') });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(field(res)).toBe('input.notes');
    expect(await rows()).toBe(before);

    const made = await dpo.request<{ createDataRequest: { id: string; notes: string } }>(CREATE, { input: input('First line\nSecond line') });
    expect(made.errors).toBeUndefined();
    expect(made.data!.createDataRequest.notes).toBe('First line\nSecond line');
    const id = made.data!.createDataRequest.id;
    const steps: [string, Record<string, unknown>, string][] = [
      ['mutation($id: ID!, $x: String) { pauseDataRequest(id: $id, reason: CLARIFICATION, note: $x) { id } }', { x: 'Asked \u2066which\u2069 visits' }, 'note'],
      ['mutation($id: ID!, $x: String!) { verifyDataRequestIdentity(id: $id, method: $x) { id } }', { x: 'Passport \u202Eseen' }, 'method'],
      ['mutation($id: ID!, $x: String!) { extendDataRequest(id: $id, months: 1, reason: $x) { id } }', { x: 'Complex\u200F request' }, 'reason'],
      ['mutation($id: ID!, $x: String!) { refuseDataRequest(id: $id, reason: $x) { id } }', { x: 'Un\uFEFFfounded' }, 'reason'],
    ];
    const during = await rows();
    for (const [query, variables, name] of steps) {
      const step = await dpo.request(query, { id, ...variables });
      expect(errorCodes(step)).toEqual(['BAD_USER_INPUT']);
      expect(field(step)).toBe(name);
    }
    expect(await rows()).toBe(during);
  });
});
