/**
 * Free text that enters the audit trail or a review is refused or neutralised consistently: an
 * emergency reason, a reviewer's note and a declared purpose with newlines, ANSI escapes, C1 controls or
 * direction overrides are BAD_USER_INPUT and store nothing; a User-Agent is read as UTF-8 and stored with
 * each such character replaced by U+FFFD, never with C1 controls from a latin1 misreading.
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const OPTOMETRIST = EMAIL.leedsOptometrist;
const DPO = EMAIL.dpo;
const REQUEST = 'mutation($input: RequestEmergencyAccessInput!) { requestEmergencyAccess(input: $input) { id reason } }';
const HOSTILE = [
  ['a newline', 'Patient collapsed in store\nAPPROVED BY DPO'],
  ['an ANSI escape', 'Patient collapsed in store \u001b[2J\u001b[1;1H'],
  ['a C1 control', 'Patient collapsed in store \u0085 next line'],
  ['a right-to-left override', 'Patient collapsed in store \u202Edetaler ton'],
  ['a directional isolate', 'Patient collapsed in store \u2067x\u2069'],
  ['a line separator', 'Patient collapsed in store\u2028second line'],
  ['a tab', 'Patient collapsed\tin store'],
];

/** A string whose latin1 code units are the UTF-8 bytes of `text` (what fetch sends byte for byte). */
const asHeaderBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

describe('free text in the audit trail', () => {
  let app: TestApp;
  let yorkPatient: string;
  let optometristToken: string;
  let dpoToken: string;
  let eventId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const [york] = (await app.core.query("SELECT id FROM store WHERE name = 'York'")) as { id: string }[];
    [{ id: yorkPatient }] = (await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1', [york.id])) as { id: string }[];
    optometristToken = await app.login(OPTOMETRIST);
    dpoToken = await app.login(DPO);
    const [{ id: optometristId, chain_id: chainId }] = (await app.core.query('SELECT id, chain_id FROM staff_user WHERE email = $1', [OPTOMETRIST])) as { id: string; chain_id: string }[];
    [{ id: eventId }] = (await app.ownerCore.query(
      `INSERT INTO security_event (chain_id, kind, user_id, window_start, window_end, observed_count, threshold)
       VALUES ($1, 'BULK_CLINICAL_READS', $2, now() - interval '1 hour', now(), 60, 50) RETURNING id::text AS id`, [chainId, optometristId],
    )) as { id: string }[];
  });
  afterAll(() => app.stop());

  it.each(HOSTILE)('refuses an emergency reason with %s, storing nothing', async (_label, reason) => {
    const result = await app.request(REQUEST, { input: { customerId: yorkPatient, reason } }, optometristToken);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('input.reason');
    const [{ n }] = (await app.core.query('SELECT count(*)::int AS n FROM emergency_access WHERE user_id = (SELECT id FROM staff_user WHERE email = $1)', [OPTOMETRIST])) as { n: number }[];
    expect(n).toBe(0);
  });

  it.each(HOSTILE)('refuses a review note with %s', async (_label, note) => {
    const result = await app.request(
      'mutation($id: ID!, $note: String!) { acknowledgeSecurityEvent(id: $id, note: $note) { id } }',
      { id: eventId, note }, dpoToken,
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('note');
    const [{ n }] = (await app.core.query('SELECT count(*)::int AS n FROM review_acknowledgement')) as { n: number }[];
    expect(n).toBe(0);
  });

  // What HTTP can carry at all (no CR, LF or ESC in a header): controls, overrides and separators as UTF-8 bytes, a raw C1 byte, a tab.
  it.each([
    ['a right-to-left override', asHeaderBytes('ticket 4711 \u202Eevil')],
    ['a directional isolate', asHeaderBytes('ticket \u2067x\u2069')],
    ['a line separator', asHeaderBytes('ticket\u2028second line')],
    ['a C1 control as UTF-8', asHeaderBytes('ticket \u0085 next')],
    ['a raw C1 byte', 'ticket \u0085 next'],
    ['a tab', 'ticket\t4711'],
  ])('refuses an X-Access-Purpose with %s', async (_label, purpose) => {
    const result = await app.request('{ me { email } }', {}, optometristToken, { 'x-access-purpose': purpose });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].extensions?.field).toBe('X-Access-Purpose');
  });

  it('reads a UTF-8 purpose and User-Agent as UTF-8, and neutralises controls in the User-Agent', async () => {
    const grant = await app.request<{ requestEmergencyAccess: { id: string } }>(
      REQUEST, { input: { customerId: yorkPatient, reason: 'Patient collapsed in store, needs history' } }, optometristToken,
    );
    expect(grant.errors).toBeUndefined();
    const result = await app.request(
      'query($id: ID!) { customer(id: $id) { examinations { id } } }', { id: yorkPatient }, optometristToken,
      { 'user-agent': asHeaderBytes('Müller-Kasse/2.1 (Zürich) \u202Eevil\u0085'), 'x-access-purpose': asHeaderBytes('Notfall: Überweisung') },
    );
    expect(result.errors).toBeUndefined();
    const rows = (await app.clinical.query('SELECT user_agent, purpose FROM clinical_access_log_entry WHERE request_id = $1', [result.headers.get('x-request-id')])) as { user_agent: string; purpose: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].user_agent).toBe('Müller-Kasse/2.1 (Zürich) \uFFFDevil\uFFFD');
    expect(rows[0].purpose).toBe('Notfall: Überweisung');
    const all = (await app.clinical.query('SELECT user_agent FROM clinical_access_log_entry WHERE user_agent IS NOT NULL')) as { user_agent: string }[];
    expect(all.filter((r) => /[\u0080-\u009f\u202a-\u202e]/.test(r.user_agent))).toEqual([]);
  });
});
