/**
 * Wordings and proof (issue 11, item 2): published wordings per channel and version (immutable: republishing is
 * refused), a consent change must name a version published for its channel, and ConsentEvent.proof shows the exact
 * text, when, who, the source and the lawful basis. Lawful basis per channel: soft opt-in only for email and SMS and
 * only with its sale and the opt-out offered; legitimate interest only for post; a withdrawal records the basis of
 * what it withdraws. A link withdrawal's proof names the withdrawn consent's wording. A marketing grant only comes
 * from an explicit event: creating a customer writes no consent.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { CONSENT_CHANGE, leedsCustomers, narrowRole, storeId } from './support';

const WORDINGS = 'query($channel: ConsentChannel) { consentWordings(channel: $channel) { id channel version text publishedAt publishedById } }';
const PUBLISH = 'mutation($input: PublishConsentWordingInput!) { publishConsentWording(input: $input) { id channel version text publishedAt publishedById } }';
const PROOF = `query($id: ID!) { customer(id: $id) { consents { channel granted basis saleReference optOutOffered history { id granted basis
  proof { wordingVersion wordingText wordingPublishedAt recordedAt actor recordedById source basis saleReference optOutOffered } } } } }`;

interface Wording { id: string; channel: string; version: string; text: string; publishedAt: string; publishedById: string | null }
interface Proof {
  wordingVersion: string; wordingText: string | null; wordingPublishedAt: string | null; recordedAt: string; actor: string; recordedById: string | null;
  source: string; basis: string; saleReference: string | null; optOutOffered: boolean | null;
}
interface ConsentRead { channel: string; granted: boolean; basis: string; saleReference: string | null; optOutOffered: boolean | null; history: { id: string; granted: boolean; basis: string; proof: Proof | null }[] }

function badField(result: GraphQLResult<unknown>): string | undefined {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  return result.errors![0].extensions?.field as string | undefined;
}

describe('consent wordings and proof', () => {
  let app: TestApp;
  let customers: string[];
  let ids: Record<string, string>;
  const sessions = sessionsFor(() => app);
  const as = sessions.as;
  const change = (who: string, input: Record<string, unknown>) => as<{ recordConsentChange: { id: string; basis: string; saleReference: string | null; optOutOffered: boolean | null } }>(who, CONSENT_CHANGE, { input });
  const proofs = async (customer: string, who = EMAIL.leedsManager): Promise<ConsentRead[]> => {
    const result = await as<{ customer: { consents: ConsentRead[] } }>(who, PROOF, { id: customer });
    expect(result.errors).toBeUndefined();
    return result.data!.customer.consents;
  };

  beforeAll(async () => {
    app = await startTestApp();
    customers = await leedsCustomers(app, 12);
    const rows: { email: string; id: string }[] = await app.ownerCore.query('SELECT email, id::text AS id FROM staff_user');
    ids = Object.fromEntries(rows.map((r) => [r.email, r.id]));
  });
  afterAll(() => app?.stop());

  it('the seed publishes 2024-01 for every channel and 2026-06 for EMAIL, with their text, readable store-scoped too', async () => {
    const result = await as<{ consentWordings: Wording[] }>(EMAIL.leedsReception, WORDINGS, {});
    expect(result.errors).toBeUndefined();
    const got = result.data!.consentWordings.map((w) => `${w.channel} ${w.version}`);
    expect(got.sort()).toEqual(['EMAIL 2024-01', 'EMAIL 2026-06', 'MAIL 2024-01', 'SMS 2024-01', 'SOCIAL_MEDIA 2024-01']);
    for (const w of result.data!.consentWordings) expect(w.text.length).toBeGreaterThan(40);
    const email = await as<{ consentWordings: Wording[] }>(EMAIL.leedsReception, WORDINGS, { channel: 'EMAIL' });
    expect(email.data!.consentWordings.map((w) => w.version)).toEqual(['2026-06', '2024-01']); // newest first
    // every seeded consent event names a published wording of its channel
    const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM consent_event e
      WHERE NOT EXISTS (SELECT 1 FROM consent_wording w WHERE w.chain_id = e.chain_id AND w.channel = e.channel AND w.version = e.wording_version)`);
    expect(n).toBe(0);
  });

  it('publishes a wording as the chain manager; the version is immutable; a store manager is FORBIDDEN', async () => {
    const input = { channel: 'SMS', version: '2026-09', text: '  Yes, text me offers from Clearview Opticians. Reply STOP to stop.  ' };
    const published = await as<{ publishConsentWording: Wording }>(EMAIL.chainManager, PUBLISH, { input });
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishConsentWording).toMatchObject({ channel: 'SMS', version: '2026-09', text: input.text.trim(), publishedById: ids[EMAIL.chainManager] });
    expect(badField(await as(EMAIL.chainManager, PUBLISH, { input: { ...input, text: 'Something else' } }))).toBe('input.version');
    expect(badField(await as(EMAIL.chainManager, PUBLISH, { input: { ...input, version: ' ' } }))).toBe('input.version');
    expect(badField(await as(EMAIL.chainManager, PUBLISH, { input: { ...input, version: '2026-10', text: 'x'.repeat(5001) } }))).toBe('input.text');
    expect(errorCodes(await as(EMAIL.leedsManager, PUBLISH, { input: { ...input, version: '2026-11' } }))).toEqual(['FORBIDDEN']);
    const sms = await as<{ consentWordings: Wording[] }>(EMAIL.leedsManager, WORDINGS, { channel: 'SMS' });
    expect(sms.data!.consentWordings.map((w) => [w.version, w.text])).toEqual([['2026-09', input.text.trim()], ['2024-01', expect.any(String)]]);
    // the database keeps it as published
    await expect(app.core.query(`UPDATE consent_wording SET text = 'changed' WHERE version = '2026-09'`)).rejects.toThrow();
  });

  it('refuses a wording version that is not published for the channel, and changes nothing', async () => {
    const customer = customers[0];
    const [{ n: before }] = await app.ownerCore.query('SELECT count(*)::int AS n FROM consent_event WHERE customer_id = $1', [customer]);
    expect(badField(await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'EMAIL', granted: true, source: 'IN_STORE', wordingVersion: '2099-01' }))).toBe('input.wordingVersion');
    // 2026-06 exists for EMAIL only
    expect(badField(await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: '2026-06' }))).toBe('input.wordingVersion');
    // a withdrawal too
    expect(badField(await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'MAIL', granted: false, source: 'IN_STORE', wordingVersion: 'v1' }))).toBe('input.wordingVersion');
    expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM consent_event WHERE customer_id = $1', [customer])).toEqual([{ n: before }]);
  });

  it('proof of a staff grant: exact text, when, who, source and basis', async () => {
    const customer = customers[1];
    const started = Date.now();
    const done = await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'EMAIL', granted: true, source: 'PHONE', wordingVersion: '2026-06' });
    expect(done.errors).toBeUndefined();
    expect(done.data!.recordConsentChange).toMatchObject({ basis: 'CONSENT', saleReference: null, optOutOffered: null });
    const [wording]: { text: string; published_at: Date }[] = await app.ownerCore.query(`SELECT text, published_at FROM consent_wording WHERE channel = 'EMAIL' AND version = '2026-06'`);
    const email = (await proofs(customer)).find((c) => c.channel === 'EMAIL')!;
    const proof = email.history[0].proof!;
    expect(proof).toEqual({
      wordingVersion: '2026-06', wordingText: wording.text, wordingPublishedAt: wording.published_at.toISOString(), recordedAt: expect.any(String),
      actor: 'STAFF', recordedById: ids[EMAIL.leedsAssistant], source: 'PHONE', basis: 'CONSENT', saleReference: null, optOutOffered: null,
    });
    expect(new Date(proof.recordedAt).getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(new Date(proof.recordedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('a soft opt-in (email, SMS) needs its sale reference and the opt-out offered; proof shows both', async () => {
    const customer = customers[2];
    const base = { customerId: customer, channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: '2024-01', basis: 'SOFT_OPT_IN' };
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, optOutOffered: true }))).toBe('input.saleReference');
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, saleReference: '   ', optOutOffered: true }))).toBe('input.saleReference');
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, saleReference: 'x'.repeat(101), optOutOffered: true }))).toBe('input.saleReference');
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, saleReference: 'INV-2026-0042' }))).toBe('input.optOutOffered');
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, saleReference: 'INV-2026-0042', optOutOffered: false }))).toBe('input.optOutOffered');
    // the soft opt-in fields belong to a soft opt-in only
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, basis: 'CONSENT', saleReference: 'INV-2026-0042' }))).toBe('input.saleReference');
    expect(badField(await change(EMAIL.leedsAssistant, { ...base, basis: undefined, optOutOffered: true }))).toBe('input.optOutOffered');

    const ok = await change(EMAIL.leedsAssistant, { ...base, saleReference: ' INV-2026-0042 ', optOutOffered: true });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.recordConsentChange).toMatchObject({ basis: 'SOFT_OPT_IN', saleReference: 'INV-2026-0042', optOutOffered: true });
    const sms = (await proofs(customer)).find((c) => c.channel === 'SMS')!;
    expect(sms).toMatchObject({ granted: true, basis: 'SOFT_OPT_IN', saleReference: 'INV-2026-0042', optOutOffered: true });
    expect(sms.history[0].proof).toMatchObject({ basis: 'SOFT_OPT_IN', saleReference: 'INV-2026-0042', optOutOffered: true, source: 'IN_STORE', actor: 'STAFF' });
    const [row] = await app.ownerCore.query(`SELECT basis, sale_reference, opt_out_offered FROM consent_event WHERE customer_id = $1 AND channel = 'SMS' ORDER BY changed_at DESC LIMIT 1`, [customer]);
    expect(row).toEqual({ basis: 'SOFT_OPT_IN', sale_reference: 'INV-2026-0042', opt_out_offered: true });

    // a withdrawal records the basis it withdraws (no other basis may be given), without the sale details
    expect(badField(await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'SMS', granted: false, source: 'PHONE', wordingVersion: '2024-01', basis: 'CONSENT' }))).toBe('input.basis');
    const withdrawn = await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'SMS', granted: false, source: 'PHONE', wordingVersion: '2024-01' });
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data!.recordConsentChange).toMatchObject({ basis: 'SOFT_OPT_IN', saleReference: null, optOutOffered: null });
  });

  it('refuses a basis the channel does not allow (BAD_USER_INPUT on input.basis); accepts the valid ones', async () => {
    const customer = customers[3];
    const invalid: [string, string][] = [['SOCIAL_MEDIA', 'SOFT_OPT_IN'], ['SOCIAL_MEDIA', 'LEGITIMATE_INTEREST'], ['MAIL', 'SOFT_OPT_IN'], ['EMAIL', 'LEGITIMATE_INTEREST'], ['SMS', 'LEGITIMATE_INTEREST']];
    for (const [channel, basis] of invalid) {
      const extra = basis === 'SOFT_OPT_IN' ? { saleReference: 'INV-1', optOutOffered: true } : {};
      const result = await change(EMAIL.leedsAssistant, { customerId: customer, channel, granted: true, source: 'IN_STORE', wordingVersion: '2024-01', basis, ...extra });
      expect([channel, basis, badField(result)]).toEqual([channel, basis, 'input.basis']);
    }
    const valid: [string, string][] = [['MAIL', 'LEGITIMATE_INTEREST'], ['SOCIAL_MEDIA', 'CONSENT'], ['EMAIL', 'SOFT_OPT_IN']];
    for (const [channel, basis] of valid) {
      const extra = basis === 'SOFT_OPT_IN' ? { saleReference: 'INV-2', optOutOffered: true } : {};
      const result = await change(EMAIL.leedsAssistant, { customerId: customer, channel, granted: true, source: 'IN_STORE', wordingVersion: '2024-01', basis, ...extra });
      expect([channel, basis, result.errors]).toEqual([channel, basis, undefined]);
      expect(result.data!.recordConsentChange.basis).toBe(basis);
    }
  });

  it('a withdrawal through an unsubscribe link records the withdrawn consent’s wording, and its proof shows that text', async () => {
    const customer = customers[4];
    expect((await change(EMAIL.leedsAssistant, { customerId: customer, channel: 'EMAIL', granted: true, source: 'WEBSITE', wordingVersion: '2026-06' })).errors).toBeUndefined();
    const issued = await as<{ issueUnsubscribeLink: { url: string } }>(EMAIL.leedsAssistant, 'mutation($c: ID!) { issueUnsubscribeLink(customerId: $c, channel: EMAIL) { url } }', { c: customer });
    const response = await fetch(issued.data!.issueUnsubscribeLink.url.replace(/^https?:\/\/[^/]+/, new URL(app.url).origin), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    const email = (await proofs(customer)).find((c) => c.channel === 'EMAIL')!;
    expect(email.granted).toBe(false);
    expect(email.history[0].proof).toMatchObject({ wordingVersion: '2026-06', wordingText: expect.stringMatching(/chosen from my purchases/), actor: 'CUSTOMER', recordedById: null, source: 'EMAIL_LINK', basis: 'CONSENT' });
  });

  it('creating a customer grants nothing: no consent row, no consent event; consentsAsOf says not granted', async () => {
    const created = await as<{ createCustomer: { id: string } }>(EMAIL.leedsManager, 'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }', {
      input: { homeStoreId: await storeId(app, 'Leeds'), firstName: 'Mary', lastName: 'Somerville', dateOfBirth: '1980-12-26', email: 'mary.s@example.com', phone: '0113 496 0777' },
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCustomer.id;
    expect(await app.ownerCore.query('SELECT (SELECT count(*) FROM consent WHERE customer_id = $1)::int AS consents, (SELECT count(*) FROM consent_event WHERE customer_id = $1)::int AS events', [id]))
      .toEqual([{ consents: 0, events: 0 }]);
    const read = await as<{ customer: { consents: unknown[]; consentsAsOf: { granted: boolean; basis: string | null }[] } }>(EMAIL.leedsManager,
      'query($id: ID!, $at: DateTimeISO!) { customer(id: $id) { consents { id } consentsAsOf(at: $at) { granted basis } } }', { id, at: new Date().toISOString() });
    expect(read.data!.customer.consents).toEqual([]);
    expect(read.data!.customer.consentsAsOf).toEqual(Array.from({ length: 4 }, () => ({ granted: false, basis: null })));
  });

  it('a role without Consent.proof (or the basis fields) is FORBIDDEN them, its other fields still resolve', async () => {
    const customer = customers[1];
    const fields = ['id', 'customerId', 'channel', 'granted', 'changedAt', 'actor', 'recordedById', 'source', 'wordingVersion', 'history'];
    await narrowRole(sessions, EMAIL.chainManager, 'Receptionist', 'Consent', fields);
    const result = await as<{ customer: { consents: { channel: string; basis: string | null; history: { granted: boolean; proof: unknown }[] }[] } }>(EMAIL.leedsReception,
      'query($id: ID!) { customer(id: $id) { consents { channel basis history { granted proof { wordingText } } } } }', { id: customer });
    expect(new Set(errorCodes(result))).toEqual(new Set(['FORBIDDEN']));
    const messages = result.errors!.map((e) => e.message);
    expect(messages.some((m) => m.includes('Consent.basis'))).toBe(true);
    expect(messages.some((m) => m.includes('ConsentProof.wordingText'))).toBe(true);
    const email = result.data!.customer.consents.find((c) => c.channel === 'EMAIL')!;
    expect(email.basis).toBeNull();
    expect(email.history[0].granted).toBe(true);
    // the proof's fields are governed by Consent.proof: each is refused (null), nothing of the wording shows
    expect(email.history[0].proof).toEqual({ wordingText: null });
  });
});
