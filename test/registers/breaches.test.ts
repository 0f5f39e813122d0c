/**
 * The breach register (issue 12, item 7), through GraphQL with real sessions, against the rules as the law words them
 * (Art. 33/34 GDPR): the deadline is discovery + 72 hours; a breach is overdue when not notified, not decided "not
 * notifiable" and past the deadline; a notification after the deadline needs the reason for the delay; not notifying
 * needs a reason and a breach unlikely to result in a risk; a HIGH_RISK breach flags that the customers are to be told
 * until that (or an Art. 34(3) exception) is recorded; every change is an append-only history entry with before and
 * after; the affected customers can be counted from the clinical access log. Bad input is refused naming the field and
 * changes nothing. The seeded register: one overdue breach, one notified in time.
 */
import { errorCodes } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const FIELDS = 'id discoveredAt description dataCategories affectedCustomers affectedCountUserId risk deadline overdue notified notifiedLate notifiedAuthorityAt notNotifiableReason delayReason customersNotifiedAt customersNotNotifiedReason customersToBeTold history { action userId before after }';
const RECORD = `mutation($input: RecordBreachInput!) { recordBreach(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateBreachInput!) { updateBreach(id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($overdue: Boolean) { breaches(overdue: $overdue) { id description overdue notified deadline } }`;
const COUNT = `query($u: ID!, $f: DateTimeISO!, $t: DateTimeISO!) { breachAffectedCustomers(userId: $u, from: $f, to: $t) }`;

interface BreachOut {
  id: string; discoveredAt: string; description: string; dataCategories: string[]; affectedCustomers: number | null; affectedCountUserId: string | null;
  risk: string; deadline: string; overdue: boolean; notified: boolean; notifiedLate: boolean; notifiedAuthorityAt: string | null;
  notNotifiableReason: string | null; delayReason: string | null; customersNotifiedAt: string | null; customersNotNotifiedReason: string | null;
  customersToBeTold: boolean; history: { action: string; userId: string; before: Record<string, unknown> | null; after: Record<string, unknown> }[];
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const base = (over: Record<string, unknown> = {}) => ({
  discoveredAt: ago(10 * HOUR), description: 'Test breach: a misdirected letter.', dataCategories: ['Contact details'],
  affectedCustomers: 1, risk: 'RISK', riskAssessment: 'One customer’s address disclosed to another.', ...over,
});

describe('the breach register', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let dpoId: string;

  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    dpoId = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`)) as { id: string }[])[0].id;
  });
  afterAll(() => t.stop());

  const record = async (input: Record<string, unknown>) => dpo.request<{ recordBreach: BreachOut }>(RECORD, { input });
  const recorded = async (input: Record<string, unknown>): Promise<BreachOut> => {
    const res = await record(input);
    expect(res.errors).toBeUndefined();
    return res.data!.recordBreach;
  };
  const refusal = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => [res.errors?.[0]?.extensions?.code, res.errors?.[0]?.extensions?.field];
  const breachCount = async () => Number(((await t.ownerCore.query('SELECT (SELECT count(*) FROM breach) + (SELECT count(*) FROM breach_event) AS n')) as { n: string }[])[0].n);

  it('seeds one overdue breach and one notified in time; lists overdue ones first and filters by overdue', async () => {
    const all = await dpo.request<{ breaches: { id: string; description: string; overdue: boolean; notified: boolean; deadline: string }[] }>(LIST, {});
    expect(all.errors).toBeUndefined();
    const list = all.data!.breaches;
    const laptop = list.find((b) => b.description.includes('laptop'))!;
    const bristol = list.find((b) => b.description.includes('Bristol'))!;
    expect([laptop.overdue, laptop.notified]).toEqual([true, false]);
    expect([bristol.overdue, bristol.notified]).toEqual([false, true]);
    const firstNotOverdue = list.findIndex((b) => !b.overdue);
    expect(list.slice(firstNotOverdue).every((b) => !b.overdue)).toBe(true);
    const overdue = await dpo.request<{ breaches: { id: string; overdue: boolean }[] }>(LIST, { overdue: true });
    expect(overdue.data!.breaches.every((b) => b.overdue)).toBe(true);
    expect(overdue.data!.breaches.map((b) => b.id)).toContain(laptop.id);
    const others = await dpo.request<{ breaches: { id: string; overdue: boolean }[] }>(LIST, { overdue: false });
    expect(others.data!.breaches.every((b) => !b.overdue)).toBe(true);
    expect(others.data!.breaches.map((b) => b.id)).toContain(bristol.id);
  });

  it('computes the deadline as discovery + 72 hours; overdue only past it, and only while neither notified nor decided', async () => {
    const fresh = await recorded(base({ discoveredAt: ago(71 * HOUR) }));
    expect(new Date(fresh.deadline).getTime() - new Date(fresh.discoveredAt).getTime()).toBe(72 * HOUR);
    expect(fresh.overdue).toBe(false);
    const late = await recorded(base({ discoveredAt: ago(73 * HOUR) }));
    expect(late.overdue).toBe(true);
    const decided = await dpo.request<{ updateBreach: BreachOut }>(UPDATE, { id: late.id, input: { risk: 'UNLIKELY', notNotifiableReason: 'The letter was returned unopened.' } });
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.updateBreach.overdue).toBe(false);
  });

  it('requires a delay reason when notified after the deadline, not when notified in time', async () => {
    const onTime = await recorded(base({ discoveredAt: ago(80 * HOUR), notifiedAuthorityAt: ago(9 * HOUR) }));
    expect([onTime.notified, onTime.notifiedLate, onTime.overdue]).toEqual([true, false, false]);
    const b = await recorded(base({ discoveredAt: ago(100 * HOUR) }));
    const before = await breachCount();
    const noReason = await dpo.request(UPDATE, { id: b.id, input: { notifiedAuthorityAt: ago(HOUR) } });
    expect(refusal(noReason)).toEqual(['BAD_USER_INPUT', 'input.delayReason']);
    expect(await breachCount()).toBe(before);
    const withReason = await dpo.request<{ updateBreach: BreachOut }>(UPDATE, { id: b.id, input: { notifiedAuthorityAt: ago(HOUR), delayReason: 'The scale only became clear on day 4.' } });
    expect(withReason.errors).toBeUndefined();
    expect([withReason.data!.updateBreach.notifiedLate, withReason.data!.updateBreach.overdue]).toEqual([true, false]);
    // clearing the reason afterwards breaks the rule again
    expect(refusal(await dpo.request(UPDATE, { id: b.id, input: { delayReason: null } }))).toEqual(['BAD_USER_INPUT', 'input.delayReason']);
  });

  it('lets only a breach unlikely to result in a risk be decided not notifiable, with a reason, and never alongside a notification', async () => {
    expect(refusal(await record(base({ notNotifiableReason: 'Seems minor.' })))).toEqual(['BAD_USER_INPUT', 'input.notNotifiableReason']);
    expect(refusal(await record(base({ risk: 'UNLIKELY', notNotifiableReason: '   ' })))).toEqual(['BAD_USER_INPUT', 'input.notNotifiableReason']);
    expect(refusal(await record(base({ risk: 'UNLIKELY', notNotifiableReason: 'Encrypted.', notifiedAuthorityAt: ago(HOUR) })))).toEqual(['BAD_USER_INPUT', 'input.notNotifiableReason']);
    const ok = await recorded(base({ risk: 'UNLIKELY', notNotifiableReason: 'The device was encrypted (AES-256) and the key was not lost.' }));
    expect(ok.notNotifiableReason).toMatch(/encrypted/);
    // raising the risk of a breach decided not notifiable is refused, naming the risk
    expect(refusal(await dpo.request(UPDATE, { id: ok.id, input: { risk: 'HIGH_RISK' } }))).toEqual(['BAD_USER_INPUT', 'input.risk']);
  });

  it('flags a HIGH_RISK breach until the customers are told or an Art. 34(3) exception is recorded', async () => {
    const high = await recorded(base({ risk: 'HIGH_RISK', notifiedAuthorityAt: ago(HOUR) }));
    expect(high.customersToBeTold).toBe(true);
    const told = await dpo.request<{ updateBreach: BreachOut }>(UPDATE, { id: high.id, input: { customersNotifiedAt: ago(HOUR / 2) } });
    expect(told.data!.updateBreach.customersToBeTold).toBe(false);
    const other = await recorded(base({ risk: 'HIGH_RISK' }));
    const exception = await dpo.request<{ updateBreach: BreachOut }>(UPDATE, { id: other.id, input: { customersNotNotifiedReason: 'Art. 34(3)(c): public notice on the website instead.' } });
    expect(exception.data!.updateBreach.customersToBeTold).toBe(false);
    expect(refusal(await dpo.request(UPDATE, { id: other.id, input: { customersNotifiedAt: ago(HOUR / 2) } }))).toEqual(['BAD_USER_INPUT', 'input.customersNotifiedAt']);
    expect((await recorded(base({ risk: 'RISK' }))).customersToBeTold).toBe(false);
  });

  it('refuses impossible times: discovered in the future, notified before discovery, happened after discovery', async () => {
    const before = await breachCount();
    expect(refusal(await record(base({ discoveredAt: new Date(Date.now() + HOUR).toISOString() })))).toEqual(['BAD_USER_INPUT', 'input.discoveredAt']);
    expect(refusal(await record(base({ notifiedAuthorityAt: ago(20 * HOUR) })))).toEqual(['BAD_USER_INPUT', 'input.notifiedAuthorityAt']);
    expect(refusal(await record(base({ occurredAt: ago(HOUR) })))).toEqual(['BAD_USER_INPUT', 'input.occurredAt']);
    expect(refusal(await record(base({ dataCategories: [] })))).toEqual(['BAD_USER_INPUT', 'input.dataCategories']);
    expect(refusal(await record(base({ affectedCustomers: -1 })))).toEqual(['BAD_USER_INPUT', 'input.affectedCustomers']);
    expect(refusal(await record(base({ description: 'x\u202Ey' })))).toEqual(['BAD_USER_INPUT', 'input.description']);
    expect(await breachCount()).toBe(before);
  });

  it('keeps every change as an append-only history entry with the changed fields before and after', async () => {
    const b = await recorded(base());
    expect(b.history).toHaveLength(1);
    expect(b.history[0]).toMatchObject({ action: 'CREATED', userId: dpoId, before: null });
    expect(b.history[0].after).toMatchObject({ description: 'Test breach: a misdirected letter.', risk: 'RISK', affectedCustomers: 1 });
    const changed = await dpo.request<{ updateBreach: BreachOut }>(UPDATE, { id: b.id, input: { affectedCustomers: 3, measures: 'Letters re-sent.' } });
    expect(changed.errors).toBeUndefined();
    const history = changed.data!.updateBreach.history;
    expect(history.map((h) => h.action)).toEqual(['CREATED', 'UPDATED']);
    expect(history[1].before).toEqual({ affectedCustomers: 1, measures: null });
    expect(history[1].after).toEqual({ affectedCustomers: 3, measures: 'Letters re-sent.' });
    await expect(t.core.query('UPDATE breach_event SET action = $1 WHERE breach_id = $2', ['UPDATED', b.id])).rejects.toThrow(/permission denied/);
    await expect(t.ownerCore.query('DELETE FROM breach_event WHERE breach_id = $1', [b.id])).rejects.toThrow();
  });

  it('counts the affected customers from the clinical access log for a user and a time range', async () => {
    const optometrist = await signIn(t, 'leedsOptometrist');
    const [{ id: optometristId }] = (await t.core.query(`SELECT id FROM staff_user WHERE email = 'leeds.optometrist@clearview.example'`)) as { id: string }[];
    const leeds = (await t.core.query(`SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds'`)) as { id: string }[];
    // three Leeds customers with spectacle prescriptions (a read of none logs nothing)
    const customers = (await t.ownerClinical.query(
      'SELECT DISTINCT customer_id AS id FROM spectacle_prescription WHERE customer_id = ANY($1::uuid[]) ORDER BY 1 LIMIT 3', [leeds.map((c) => c.id)],
    )) as { id: string }[];
    expect(customers).toHaveLength(3);
    const from = new Date(Date.now() - 1000).toISOString();
    for (const c of [...customers, customers[0]]) {
      const read = await optometrist.request(`query($id: ID!) { customer(id: $id) { spectaclePrescriptions { id } } }`, { id: c.id });
      expect(read.errors).toBeUndefined();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const to = new Date(Date.now() + 1000).toISOString();
    const expected = Number(((await t.ownerClinical.query(
      `SELECT count(DISTINCT customer_id) AS n FROM clinical_access_log_entry WHERE user_id = $1 AND outcome = 'GRANTED' AND occurred_at BETWEEN $2 AND $3`, [optometristId, from, to],
    )) as { n: string }[])[0].n);
    expect(expected).toBe(3);
    const counted = await dpo.request<{ breachAffectedCustomers: number }>(COUNT, { u: optometristId, f: from, t: to });
    expect(counted.errors).toBeUndefined();
    expect(counted.data!.breachAffectedCustomers).toBe(3);
    const filled = await recorded({ ...base(), affectedCustomers: undefined, affectedFromAccessLog: { userId: optometristId, from, to: ago(0) } });
    expect([filled.affectedCustomers, filled.affectedCountUserId]).toEqual([3, optometristId]);
    expect(refusal(await dpo.request(COUNT, { u: optometristId, f: to, t: from }))).toEqual(['BAD_USER_INPUT', 'to']);
    const lakeside = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'manager@lakeside.example'`)) as { id: string }[])[0].id;
    expect(refusal(await dpo.request(COUNT, { u: lakeside, f: from, t: to }))).toEqual(['BAD_USER_INPUT', 'userId']);
    expect(refusal(await record({ ...base(), affectedFromAccessLog: { userId: optometristId, from, to } }))).toEqual(['BAD_USER_INPUT', 'input.affectedFromAccessLog']);
  });

  it('answers NOT_FOUND for a breach of another chain or none', async () => {
    const lakesideManager = await signIn(t, 'lakesideManager');
    const mine = await recorded(base());
    expect(errorCodes(await lakesideManager.request(UPDATE, { id: mine.id, input: { measures: 'x' } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await dpo.request(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { measures: 'x' } }))).toEqual(['NOT_FOUND']);
    const theirs = await lakesideManager.request<{ breaches: { id: string }[] }>(LIST, {});
    expect(theirs.data!.breaches.map((b) => b.id)).not.toContain(mine.id);
  });
});
