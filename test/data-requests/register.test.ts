/**
 * The request register through GraphQL with real sessions (docs/data-requests.md): recording a request, its
 * legal clock (due at the end of the same day next month; extension by at most two months, only before the
 * original due date; a stopped clock moves the due date by exactly the paused time, read from the events), the
 * steps to completion with every one an append-only event naming the person, the list's order (overdue, due
 * within 7 days, the rest), filters and paging, scope, and bad input that changes nothing.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86400_000;
const FIELDS = 'id customerId storeId type channel status receivedAt dueAt originalDueAt extensionMonths pausedAt overdue dueSoon notes identityVerifiedAt identityVerifiedById identityMethod handlerId outcome completedAt createdById';
const EVENTS = 'events { kind occurredAt userId reason months dueAtBefore dueAtAfter details }';
const CREATE = `mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { ${FIELDS} ${EVENTS} } }`;
const GET = `query($id: ID!) { dataRequest(id: $id) { ${FIELDS} ${EVENTS} } }`;
const EXTEND = `mutation($id: ID!, $m: Int!, $r: String!) { extendDataRequest(id: $id, months: $m, reason: $r) { ${FIELDS} ${EVENTS} } }`;
const PAUSE = `mutation($id: ID!, $r: DataRequestPauseReason!, $n: String) { pauseDataRequest(id: $id, reason: $r, note: $n) { ${FIELDS} ${EVENTS} } }`;
const RESUME = `mutation($id: ID!) { resumeDataRequest(id: $id) { ${FIELDS} ${EVENTS} } }`;
const VERIFY = `mutation($id: ID!, $m: String!) { verifyDataRequestIdentity(id: $id, method: $m) { ${FIELDS} ${EVENTS} } }`;
const ASSIGN = `mutation($id: ID!, $h: ID!) { assignDataRequest(id: $id, handlerId: $h) { ${FIELDS} ${EVENTS} } }`;
const COMPLETE = `mutation($id: ID!, $o: String!) { completeDataRequest(id: $id, outcome: $o) { ${FIELDS} ${EVENTS} } }`;
const REFUSE = `mutation($id: ID!, $r: String!) { refuseDataRequest(id: $id, reason: $r) { ${FIELDS} ${EVENTS} } }`;
const WITHDRAW = `mutation($id: ID!, $r: String!) { withdrawDataRequest(id: $id, reason: $r) { ${FIELDS} ${EVENTS} } }`;
const LIST = `query($status: DataRequestStatus, $overdue: Boolean, $dueBefore: DateTimeISO, $first: Int, $after: String) {
  dataRequests(status: $status, overdue: $overdue, dueBefore: $dueBefore, first: $first, after: $after) {
    totalCount edges { cursor node { id status dueAt overdue dueSoon } } pageInfo { hasNextPage endCursor } } }`;

interface Event { kind: string; occurredAt: string; userId: string | null; reason: string | null; months: number | null; dueAtBefore: string | null; dueAtAfter: string | null; details: Record<string, unknown> | null }
interface Request {
  id: string; customerId: string; storeId: string; type: string; channel: string; status: string; receivedAt: string; dueAt: string; originalDueAt: string;
  extensionMonths: number; pausedAt: string | null; overdue: boolean; dueSoon: boolean; notes: string | null; identityVerifiedAt: string | null;
  identityVerifiedById: string | null; identityMethod: string | null; handlerId: string | null; outcome: string | null; completedAt: string | null;
  createdById: string; events: Event[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the request register and its legal clock', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let chainManager: SignedInClient;
  let dpoId: string;
  let customers: { id: string; storeId: string }[];
  let next = 0;
  const customer = () => customers[next++];

  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    chainManager = await signIn(t, 'chainManager');
    dpoId = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`)) as { id: string }[])[0].id;
    customers = (await t.core.query(
      `SELECT c.id, c.home_store_id AS "storeId" FROM customer c JOIN store s ON s.id = c.home_store_id
        WHERE s.name = 'Bristol' AND c.status = 'ACTIVE' ORDER BY c.id LIMIT 40`,
    )) as { id: string; storeId: string }[];
  });
  afterAll(() => t.stop());

  async function create(input: Record<string, unknown>, as = dpo): Promise<GraphQLResult<{ createDataRequest: Request }>> {
    return as.request<{ createDataRequest: Request }>(CREATE, { input });
  }
  async function created(receivedAt: Date | string, type = 'ACCESS'): Promise<Request> {
    const res = await create({ customerId: customer().id, type, receivedAt: new Date(receivedAt).toISOString(), channel: 'EMAIL' });
    expect(res.errors).toBeUndefined();
    return res.data!.createDataRequest;
  }
  const count = async (table: string) => Number(((await t.core.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);
  const fieldOf = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.field;

  it('records a request as received: due at the end of the same day next month, a RECEIVED event naming who recorded it', async () => {
    const c = customer();
    const res = await create({ customerId: c.id, type: 'ACCESS', receivedAt: '2026-01-31T15:20:00Z', channel: 'IN_STORE', notes: '  Wants a copy of their records  ' });
    expect(res.errors).toBeUndefined();
    const r = res.data!.createDataRequest;
    expect(r).toMatchObject({
      customerId: c.id, storeId: c.storeId, type: 'ACCESS', channel: 'IN_STORE', status: 'OPEN', receivedAt: '2026-01-31T15:20:00.000Z',
      dueAt: '2026-02-28T23:59:59.999Z', originalDueAt: '2026-02-28T23:59:59.999Z', extensionMonths: 0, pausedAt: null,
      notes: 'Wants a copy of their records', createdById: dpoId, identityVerifiedAt: null, handlerId: null,
    });
    expect(r.events).toEqual([expect.objectContaining({ kind: 'RECEIVED', userId: dpoId, dueAtBefore: null, dueAtAfter: '2026-02-28T23:59:59.999Z' })]);
  });

  it.each([
    ['2024-01-31T10:00:00Z', '2024-02-29T23:59:59.999Z'],
    ['2025-01-31T10:00:00Z', '2025-02-28T23:59:59.999Z'],
    ['2024-02-29T10:00:00Z', '2024-03-29T23:59:59.999Z'],
    ['2025-03-31T10:00:00Z', '2025-04-30T23:59:59.999Z'],
    ['2025-12-31T23:30:00Z', '2026-01-31T23:59:59.999Z'],
  ])('received %s is due %s', async (receivedAt, dueAt) => {
    const r = await created(receivedAt);
    expect(r.dueAt).toBe(dueAt);
    expect(r.overdue).toBe(true);
  });

  it('refuses a receipt in the future, naming input.receivedAt, and writes nothing', async () => {
    const [requests, events] = [await count('data_request'), await count('data_request_event')];
    const res = await create({ customerId: customers[0].id, type: 'ACCESS', receivedAt: new Date(Date.now() + 3600_000).toISOString(), channel: 'EMAIL' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(res)).toBe('input.receivedAt');
    expect([await count('data_request'), await count('data_request_event')]).toEqual([requests, events]);
  });

  it('refuses notes over 2000 characters and an unknown customer', async () => {
    const tooLong = await create({ customerId: customers[0].id, type: 'ACCESS', receivedAt: new Date().toISOString(), channel: 'EMAIL', notes: 'x'.repeat(2001) });
    expect(fieldOf(tooLong)).toBe('input.notes');
    const unknown = await create({ customerId: '00000000-0000-4000-8000-000000000000', type: 'ACCESS', receivedAt: new Date().toISOString(), channel: 'EMAIL' });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('extends by up to two further months from the original due date, with a reason, as events with the due date before and after', async () => {
    const r = await created(new Date(Date.now() - 2 * DAY));
    const original = new Date(r.originalDueAt);
    const once = await dpo.request<{ extendDataRequest: Request }>(EXTEND, { id: r.id, m: 1, r: 'Complex: records held at three stores' });
    expect(once.errors).toBeUndefined();
    const expectedOnce = new Date(Date.UTC(original.getUTCFullYear(), original.getUTCMonth() + 1, Math.min(original.getUTCDate(), new Date(Date.UTC(original.getUTCFullYear(), original.getUTCMonth() + 2, 0)).getUTCDate()), 23, 59, 59, 999));
    expect(once.data!.extendDataRequest).toMatchObject({ extensionMonths: 1, dueAt: expectedOnce.toISOString(), originalDueAt: r.originalDueAt });
    const again = await dpo.request<{ extendDataRequest: Request }>(EXTEND, { id: r.id, m: 1, r: 'Still collecting' });
    expect(again.data!.extendDataRequest.extensionMonths).toBe(2);
    const extended = again.data!.extendDataRequest.events.filter((e) => e.kind === 'EXTENDED');
    expect(extended).toEqual([
      expect.objectContaining({ months: 1, reason: 'Complex: records held at three stores', userId: dpoId, dueAtBefore: r.dueAt, dueAtAfter: expectedOnce.toISOString() }),
      expect.objectContaining({ months: 1, reason: 'Still collecting', dueAtBefore: expectedOnce.toISOString(), dueAtAfter: again.data!.extendDataRequest.dueAt }),
    ]);
    // A third month is past two in total.
    const third = await dpo.request(EXTEND, { id: r.id, m: 1, r: 'More' });
    expect(errorCodes(third)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(third)).toBe('months');
  });

  it('refuses an extension past two months at once, and a blank reason', async () => {
    const r = await created(new Date(Date.now() - DAY));
    const three = await dpo.request(EXTEND, { id: r.id, m: 3, r: 'Complex' });
    expect(fieldOf(three)).toBe('months');
    const zero = await dpo.request(EXTEND, { id: r.id, m: 0, r: 'Complex' });
    expect(fieldOf(zero)).toBe('months');
    const blank = await dpo.request(EXTEND, { id: r.id, m: 1, r: '   ' });
    expect(fieldOf(blank)).toBe('reason');
    const read = await dpo.request<{ dataRequest: Request }>(GET, { id: r.id });
    expect(read.data!.dataRequest).toMatchObject({ extensionMonths: 0, dueAt: r.dueAt });
    expect(read.data!.dataRequest.events.map((e) => e.kind)).toEqual(['RECEIVED']);
  });

  it('refuses a late extension: received long ago, the original due date has passed', async () => {
    const r = await created(new Date(Date.now() - 60 * DAY));
    const res = await dpo.request(EXTEND, { id: r.id, m: 1, r: 'We forgot' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(res)).toBe('id');
    expect(res.errors![0].message).toMatch(/original due date/);
  });

  it('a stopped clock: pause then resume moves the due date by exactly the paused time, read from the events', async () => {
    const r = await created(new Date(Date.now() - 3 * DAY));
    const paused = await dpo.request<{ pauseDataRequest: Request }>(PAUSE, { id: r.id, r: 'IDENTITY', n: 'Asked for photo ID' });
    expect(paused.errors).toBeUndefined();
    expect(paused.data!.pauseDataRequest).toMatchObject({ status: 'PAUSED', dueAt: r.dueAt, overdue: false });
    expect(paused.data!.pauseDataRequest.pausedAt).not.toBeNull();
    await sleep(120);
    const resumed = await dpo.request<{ resumeDataRequest: Request }>(RESUME, { id: r.id });
    expect(resumed.errors).toBeUndefined();
    const after = resumed.data!.resumeDataRequest;
    expect(after).toMatchObject({ status: 'OPEN', pausedAt: null });
    const pauseEvent = after.events.find((e) => e.kind === 'PAUSED')!;
    const resumeEvent = after.events.find((e) => e.kind === 'RESUMED')!;
    expect(pauseEvent).toMatchObject({ reason: 'IDENTITY', userId: dpoId, details: { note: 'Asked for photo ID' } });
    const pausedMs = Date.parse(resumeEvent.occurredAt) - Date.parse(pauseEvent.occurredAt);
    expect(pausedMs).toBeGreaterThanOrEqual(100);
    expect(Date.parse(after.dueAt) - Date.parse(r.dueAt)).toBe(pausedMs);
    expect(resumeEvent).toMatchObject({ dueAtBefore: r.dueAt, dueAtAfter: after.dueAt, userId: dpoId });
    // An extension afterwards keeps the paused time: the month rule from the original due date, plus it.
    const extended = await dpo.request<{ extendDataRequest: Request }>(EXTEND, { id: r.id, m: 2, r: 'Complex' });
    const twoMonths = extended.data!.extendDataRequest;
    const original = new Date(r.originalDueAt);
    const day = Math.min(original.getUTCDate(), new Date(Date.UTC(original.getUTCFullYear(), original.getUTCMonth() + 3, 0)).getUTCDate());
    const byRule = Date.UTC(original.getUTCFullYear(), original.getUTCMonth() + 2, day, 23, 59, 59, 999);
    expect(Date.parse(twoMonths.dueAt) - byRule).toBe(pausedMs);
  });

  it('pausing a paused request is refused; resuming an open one is refused; a pause reason outside IDENTITY and CLARIFICATION cannot be given', async () => {
    const r = await created(new Date(Date.now() - DAY));
    await dpo.request(PAUSE, { id: r.id, r: 'CLARIFICATION' });
    const twice = await dpo.request(PAUSE, { id: r.id, r: 'CLARIFICATION' });
    expect(errorCodes(twice)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(twice)).toBe('id');
    const other = await dpo.request(PAUSE, { id: r.id, r: 'WORKLOAD' });
    expect(errorCodes(other)).toEqual(['BAD_USER_INPUT']);
    await dpo.request(RESUME, { id: r.id });
    const resumeOpen = await dpo.request(RESUME, { id: r.id });
    expect(errorCodes(resumeOpen)).toEqual(['BAD_USER_INPUT']);
    expect(fieldOf(resumeOpen)).toBe('id');
    const read = await dpo.request<{ dataRequest: Request }>(GET, { id: r.id });
    expect(read.data!.dataRequest.events.map((e) => e.kind)).toEqual(['RECEIVED', 'PAUSED', 'RESUMED']);
  });

  it('verifying identity resumes a clock stopped for IDENTITY; a pause for IDENTITY once verified is refused', async () => {
    const r = await created(new Date(Date.now() - DAY));
    await dpo.request(PAUSE, { id: r.id, r: 'IDENTITY' });
    await sleep(30);
    const verified = await dpo.request<{ verifyDataRequestIdentity: Request }>(VERIFY, { id: r.id, m: 'Passport seen in store' });
    expect(verified.errors).toBeUndefined();
    const v = verified.data!.verifyDataRequestIdentity;
    expect(v).toMatchObject({ status: 'OPEN', identityMethod: 'Passport seen in store', identityVerifiedById: dpoId, pausedAt: null });
    expect(v.events.map((e) => e.kind)).toEqual(['RECEIVED', 'PAUSED', 'IDENTITY_VERIFIED', 'RESUMED']);
    expect(Date.parse(v.dueAt)).toBeGreaterThan(Date.parse(r.dueAt));
    const again = await dpo.request(PAUSE, { id: r.id, r: 'IDENTITY' });
    expect(fieldOf(again)).toBe('reason');
    const twice = await dpo.request(VERIFY, { id: r.id, m: 'Again' });
    expect(fieldOf(twice)).toBe('id');
  });

  it('runs a request end to end: identity, handler, completion; then nothing more can change', async () => {
    const r = await created(new Date(Date.now() - 5 * DAY), 'PORTABILITY');
    const notVerified = await dpo.request(COMPLETE, { id: r.id, o: 'Sent' });
    expect(fieldOf(notVerified)).toBe('id');
    await dpo.request(VERIFY, { id: r.id, m: 'Called back on the number on file' });
    const managerId = ((await t.core.query(`SELECT id FROM staff_user WHERE email = 'chain.manager@clearview.example'`)) as { id: string }[])[0].id;
    const assigned = await dpo.request<{ assignDataRequest: Request }>(ASSIGN, { id: r.id, h: managerId });
    expect(assigned.data!.assignDataRequest.handlerId).toBe(managerId);
    const badHandler = await dpo.request(ASSIGN, { id: r.id, h: '00000000-0000-4000-8000-000000000000' });
    expect(fieldOf(badHandler)).toBe('handlerId');
    const done = await chainManager.request<{ completeDataRequest: Request }>(COMPLETE, { id: r.id, o: 'Export sent by secure email' });
    expect(done.errors).toBeUndefined();
    const c = done.data!.completeDataRequest;
    expect(c).toMatchObject({ status: 'COMPLETED', outcome: 'Export sent by secure email', overdue: false, dueSoon: false });
    expect(c.completedAt).not.toBeNull();
    expect(c.events.map((e) => [e.kind, e.userId])).toEqual([
      ['RECEIVED', dpoId], ['IDENTITY_VERIFIED', dpoId], ['ASSIGNED', dpoId], ['COMPLETED', managerId],
    ]);
    for (const [query, vars] of [[EXTEND, { m: 1, r: 'x' }], [PAUSE, { r: 'CLARIFICATION' }], [REFUSE, { r: 'x' }], [WITHDRAW, { r: 'x' }], [COMPLETE, { o: 'x' }]] as const) {
      const res = await dpo.request(query, { id: r.id, ...vars });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldOf(res)).toBe('id');
    }
  });

  it('refuses and withdraws with a reason', async () => {
    const a = await created(new Date(Date.now() - DAY), 'ERASURE');
    const refused = await dpo.request<{ refuseDataRequest: Request }>(REFUSE, { id: a.id, r: 'Manifestly excessive: the same request answered last week' });
    expect(refused.data!.refuseDataRequest).toMatchObject({ status: 'REFUSED', outcome: 'Manifestly excessive: the same request answered last week' });
    const b = await created(new Date(Date.now() - DAY), 'OBJECTION');
    const withdrawn = await dpo.request<{ withdrawDataRequest: Request }>(WITHDRAW, { id: b.id, r: 'Customer called to withdraw' });
    expect(withdrawn.data!.withdrawDataRequest).toMatchObject({ status: 'WITHDRAWN' });
    expect(withdrawn.data!.withdrawDataRequest.events.map((e) => e.kind)).toEqual(['RECEIVED', 'WITHDRAWN']);
    const blank = await dpo.request(REFUSE, { id: (await created(new Date())).id, r: '' });
    expect(fieldOf(blank)).toBe('reason');
  });

  it('the history is append-only: the database refuses to change or remove an event', async () => {
    await expect(t.core.query(`UPDATE data_request_event SET reason = 'changed'`)).rejects.toThrow();
    await expect(t.core.query(`DELETE FROM data_request_event`)).rejects.toThrow();
  });

  it('lists overdue first, then due within 7 days, then the rest, each by due date; filters and pages', async () => {
    const now = Date.now();
    const soon = await created(new Date(now - 27 * DAY));
    const later = await created(new Date(now - 1 * DAY));
    const overdue = await created(new Date(now - 45 * DAY));
    const all: { id: string; status: string; dueAt: string; overdue: boolean; dueSoon: boolean }[] = [];
    let after: string | null = null;
    let total: number | undefined;
    for (;;) {
      const page: GraphQLResult<{ dataRequests: { totalCount: number; edges: { cursor: string; node: (typeof all)[number] }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }> =
        await dpo.request(LIST, { first: 7, after });
      expect(page.errors).toBeUndefined();
      total = page.data!.dataRequests.totalCount;
      all.push(...page.data!.dataRequests.edges.map((e) => e.node));
      if (!page.data!.dataRequests.pageInfo.hasNextPage) break;
      after = page.data!.dataRequests.pageInfo.endCursor;
    }
    expect(all).toHaveLength(total!);
    expect(new Set(all.map((r) => r.id)).size).toBe(total);
    const tier = (r: (typeof all)[number]) => (r.overdue ? 0 : r.dueSoon ? 1 : 2);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      expect(tier(a) < tier(b) || (tier(a) === tier(b) && Date.parse(a.dueAt) <= Date.parse(b.dueAt)) || a.status === 'PAUSED' || b.status === 'PAUSED').toBe(true);
    }
    const position = (id: string) => all.findIndex((r) => r.id === id);
    expect(position(overdue.id)).toBeLessThan(position(soon.id));
    expect(position(soon.id)).toBeLessThan(position(later.id));
    // The seeded scenario: overdue, due soon, paused, completed.
    expect(all.some((r) => r.status === 'PAUSED')).toBe(true);
    expect(all.some((r) => r.status === 'COMPLETED')).toBe(true);

    const onlyOverdue = await dpo.request<{ dataRequests: { totalCount: number; edges: { node: { overdue: boolean } }[] } }>(LIST, { overdue: true, first: 100 });
    expect(onlyOverdue.data!.dataRequests.edges.every((e) => e.node.overdue)).toBe(true);
    expect(onlyOverdue.data!.dataRequests.totalCount).toBe(all.filter((r) => r.overdue).length);
    const notOverdue = await dpo.request<{ dataRequests: { totalCount: number } }>(LIST, { overdue: false, first: 100 });
    expect(notOverdue.data!.dataRequests.totalCount).toBe(total! - onlyOverdue.data!.dataRequests.totalCount);
    const paused = await dpo.request<{ dataRequests: { edges: { node: { status: string } }[] } }>(LIST, { status: 'PAUSED', first: 100 });
    expect(paused.data!.dataRequests.edges.length).toBeGreaterThan(0);
    expect(paused.data!.dataRequests.edges.every((e) => e.node.status === 'PAUSED')).toBe(true);
    const dueBefore = new Date(now + 7 * DAY).toISOString();
    const before = await dpo.request<{ dataRequests: { edges: { node: { id: string; dueAt: string } }[] } }>(LIST, { dueBefore, first: 100 });
    expect(before.data!.dataRequests.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([overdue.id, soon.id]));
    expect(before.data!.dataRequests.edges.map((e) => e.node.id)).not.toContain(later.id);

    const badCursor = await dpo.request(LIST, { after: 'not-a-cursor' });
    expect(fieldOf(badCursor)).toBe('after');
    const badFirst = await dpo.request(LIST, { first: 0 });
    expect(fieldOf(badFirst)).toBe('first');
  });

  it('another chain sees none of these requests: not in its list, NOT_FOUND by id', async () => {
    const lakeside = await signIn(t, 'lakesideManager');
    const r = await created(new Date());
    const list = await lakeside.request<{ dataRequests: { totalCount: number } }>(LIST, {});
    expect(list.data!.dataRequests.totalCount).toBe(0);
    const one = await lakeside.request(GET, { id: r.id });
    expect(errorCodes(one)).toEqual(['NOT_FOUND']);
    const step = await lakeside.request(VERIFY, { id: r.id, m: 'x' });
    expect(errorCodes(step)).toEqual(['NOT_FOUND']);
  });
});
