/**
 * Consent as of a moment (issue 11, item 3): Customer.consentsAsOf(at) answers each of the four channels from the
 * consent events: the latest event with changed_at <= at (its grant, basis, time, wording and id), or not granted
 * with no basis when there was none. Events are written here with explicit past times, directly in SQL (only this
 * suite does that). Several moments and customers in one request; FORBIDDEN without the field.
 */
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { narrowRole, storeId } from './support';

interface State { channel: string; granted: boolean; basis: string | null; since: string | null; wordingVersion: string | null; eventId: string | null }

const AS_OF = `query($id: ID!, $a: DateTimeISO!, $b: DateTimeISO!, $c: DateTimeISO!, $d: DateTimeISO!, $e: DateTimeISO!, $f: DateTimeISO!) { customer(id: $id) {
  a: consentsAsOf(at: $a) { channel granted basis since wordingVersion eventId }
  b: consentsAsOf(at: $b) { channel granted basis since wordingVersion eventId }
  c: consentsAsOf(at: $c) { channel granted basis since wordingVersion eventId }
  d: consentsAsOf(at: $d) { channel granted basis since wordingVersion eventId }
  e: consentsAsOf(at: $e) { channel granted basis since wordingVersion eventId }
  f: consentsAsOf(at: $f) { channel granted basis since wordingVersion eventId } } }`;

const T = {
  emailGrant: '2025-01-10T09:30:00.000Z',
  mailGrant: '2025-02-10T10:00:00.000Z',
  emailWithdrawal: '2025-03-10T11:15:00.000Z',
  emailSoftOptIn: '2025-05-10T14:45:00.000Z',
};

describe('consentsAsOf', () => {
  let app: TestApp;
  let customer: string;
  let other: string;
  let events: Record<string, string>;
  const sessions = sessionsFor(() => app);
  const as = sessions.as;

  async function insertEvent(customerId: string, channel: string, granted: boolean, at: string, basis: string, extra: { sale?: string; version?: string } = {}): Promise<string> {
    const [{ id }] = await app.ownerCore.query(
      `INSERT INTO consent_event (chain_id, customer_id, channel, granted, changed_at, actor, recorded_by_id, source, wording_version, basis, sale_reference, opt_out_offered)
       SELECT c.chain_id, c.id, $2, $3, $4, 'STAFF', NULL, 'IN_STORE', $6, $5, $7, $8 FROM customer c WHERE c.id = $1 RETURNING id::text AS id`,
      [customerId, channel, granted, at, basis, extra.version ?? '2024-01', extra.sale ?? null, extra.sale ? true : null],
    );
    return id;
  }

  async function create(firstName: string): Promise<string> {
    const result = await as<{ createCustomer: { id: string } }>(EMAIL.leedsManager, 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }', {
      input: { homeStoreId: await storeId(app, 'Leeds'), firstName, lastName: 'Asof', dateOfBirth: '1970-01-01', email: `${firstName.toLowerCase()}@example.com` },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.createCustomer.id;
  }

  beforeAll(async () => {
    app = await startTestApp();
    customer = await create('Hedy');
    other = await create('Emmy');
    events = {
      emailGrant: await insertEvent(customer, 'EMAIL', true, T.emailGrant, 'CONSENT'),
      mailGrant: await insertEvent(customer, 'MAIL', true, T.mailGrant, 'LEGITIMATE_INTEREST'),
      emailWithdrawal: await insertEvent(customer, 'EMAIL', false, T.emailWithdrawal, 'CONSENT'),
      emailSoftOptIn: await insertEvent(customer, 'EMAIL', true, T.emailSoftOptIn, 'SOFT_OPT_IN', { sale: 'INV-77', version: '2026-06' }),
      otherSms: await insertEvent(other, 'SMS', true, T.mailGrant, 'CONSENT'),
    };
  });
  afterAll(() => app?.stop());

  const none = (channel: string): State => ({ channel, granted: false, basis: null, since: null, wordingVersion: null, eventId: null });
  const ms = (iso: string, delta: number) => new Date(new Date(iso).getTime() + delta).toISOString();

  it('answers every channel before, at, between and after the events', async () => {
    const result = await as<{ customer: Record<string, State[]> }>(EMAIL.leedsManager, AS_OF, {
      id: customer,
      a: ms(T.emailGrant, -1), // just before anything
      b: T.emailGrant, // exactly at the first grant: it counts
      c: ms(T.mailGrant, 60_000), // both grants
      d: ms(T.emailWithdrawal, 1), // email withdrawn, mail granted
      e: ms(T.emailSoftOptIn, -1), // still withdrawn
      f: new Date().toISOString(), // now
    });
    expect(result.errors).toBeUndefined();
    const at = result.data!.customer;
    const order = ['SMS', 'EMAIL', 'MAIL', 'SOCIAL_MEDIA'];
    for (const key of 'abcdef') expect(at[key].map((s) => s.channel)).toEqual(order);
    const email = (key: string) => at[key].find((s) => s.channel === 'EMAIL');
    const mail = (key: string) => at[key].find((s) => s.channel === 'MAIL');

    expect(at.a).toEqual(order.map(none));
    expect(email('b')).toEqual({ channel: 'EMAIL', granted: true, basis: 'CONSENT', since: T.emailGrant, wordingVersion: '2024-01', eventId: events.emailGrant });
    expect(mail('b')).toEqual(none('MAIL'));
    expect(email('c')).toMatchObject({ granted: true, eventId: events.emailGrant });
    expect(mail('c')).toEqual({ channel: 'MAIL', granted: true, basis: 'LEGITIMATE_INTEREST', since: T.mailGrant, wordingVersion: '2024-01', eventId: events.mailGrant });
    expect(email('d')).toEqual({ channel: 'EMAIL', granted: false, basis: 'CONSENT', since: T.emailWithdrawal, wordingVersion: '2024-01', eventId: events.emailWithdrawal });
    expect(mail('d')).toMatchObject({ granted: true, eventId: events.mailGrant });
    expect(email('e')).toMatchObject({ granted: false, eventId: events.emailWithdrawal });
    expect(email('f')).toEqual({ channel: 'EMAIL', granted: true, basis: 'SOFT_OPT_IN', since: T.emailSoftOptIn, wordingVersion: '2026-06', eventId: events.emailSoftOptIn });
    for (const key of 'abcdef') {
      expect(at[key].find((s) => s.channel === 'SMS')).toEqual(none('SMS')); // the other customer's SMS grant is theirs
      expect(at[key].find((s) => s.channel === 'SOCIAL_MEDIA')).toEqual(none('SOCIAL_MEDIA'));
    }
  });

  it('answers many customers at once, each from their own events', async () => {
    const result = await as<{ customers: { edges: { node: { id: string; consentsAsOf: State[] } }[] } }>(EMAIL.leedsManager,
      `query($at: DateTimeISO!) { customers(search: "Asof", first: 10) { edges { node { id consentsAsOf(at: $at) { channel granted eventId } } } } }`, { at: ms(T.mailGrant, 1) });
    expect(result.errors).toBeUndefined();
    const byId = new Map(result.data!.customers.edges.map((e) => [e.node.id, e.node.consentsAsOf]));
    expect(byId.get(customer)!.filter((s) => s.granted).map((s) => s.eventId).sort()).toEqual([events.emailGrant, events.mailGrant].sort());
    expect(byId.get(other)!.filter((s) => s.granted).map((s) => s.eventId)).toEqual([events.otherSms]);
  });

  it('refuses an impossible moment with BAD_USER_INPUT', async () => {
    const result = await as(EMAIL.leedsManager, 'query($id: ID!) { customer(id: $id) { consentsAsOf(at: "2025-02-30T00:00:00Z") { granted } } }', { id: customer });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('is FORBIDDEN to a role without Consent.consentsAsOf (and without Consent at all)', async () => {
    const fields = ['id', 'customerId', 'channel', 'granted', 'changedAt', 'actor', 'recordedById', 'source', 'wordingVersion', 'history'];
    await narrowRole(sessions, EMAIL.chainManager, 'Receptionist', 'Consent', fields);
    const narrowed = await as<{ customer: { consentsAsOf: { granted: boolean | null }[] } }>(EMAIL.leedsReception,
      'query($id: ID!, $at: DateTimeISO!) { customer(id: $id) { consentsAsOf(at: $at) { granted } } }', { id: customer, at: new Date().toISOString() });
    expect(new Set(errorCodes(narrowed))).toEqual(new Set(['FORBIDDEN']));
    expect(narrowed.data!.customer.consentsAsOf.every((s) => s.granted === null)).toBe(true);

    await narrowRole(sessions, EMAIL.chainManager, 'Receptionist', 'Consent');
    const without = await as<{ customer: { id: string; consentsAsOf: unknown } }>(EMAIL.leedsReception,
      'query($id: ID!, $at: DateTimeISO!) { customer(id: $id) { id consentsAsOf(at: $at) { granted } } }', { id: customer, at: new Date().toISOString() });
    expect(errorCodes(without)).toEqual(['FORBIDDEN']);
    expect(without.data!.customer).toEqual({ id: customer, consentsAsOf: null });
  });
});
