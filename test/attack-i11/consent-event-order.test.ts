/**
 * Attack: consentsAsOf against the current consent when event times do not follow the order of the writes.
 * Each consent change took its `changed_at` from the clock of the API process that wrote it, so an earlier
 * write from a process whose clock runs ahead (two API processes share the databases) or a second write in the
 * same millisecond (ties broken by a random uuid) made `consentsAsOf` at a later moment answer a state other than
 * the one the customer is in now, and the one the marketing list uses. A change is now always later than the
 * change it follows (src/services/consent-service.ts: appendConsentChange).
 */
import { CM, Actors } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const CHANGE = `mutation($input: ConsentChangeInput!) { recordConsentChange(input: $input) { channel granted } }`;
const STATE = `query($id: ID!, $at: DateTimeISO!) { customer(id: $id) {
  consents { channel granted }
  consentsAsOf(at: $at) { channel granted since eventId }
  consentHistory: consents { channel history { id granted changedAt } } } }`;

interface State {
  customer: {
    consents: { channel: string; granted: boolean }[];
    consentsAsOf: { channel: string; granted: boolean; since: string | null; eventId: string | null }[];
  };
}

describe('attack: consent event order', () => {
  let app: TestApp;
  let actors: Actors;
  let customerId: string;
  let version: string;

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    const demo = await actors.demo();
    const [row]: { id: string }[] = await app.ownerCore.query(
      `SELECT c.id FROM customer c WHERE c.home_store_id = $1 AND c.status = 'ACTIVE'
         AND NOT EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id AND k.channel = 'SMS') ORDER BY c.id LIMIT 1`,
      [demo.stores.Leeds],
    );
    customerId = row.id;
    const [wording]: { version: string }[] = await app.ownerCore.query(
      `SELECT version FROM consent_wording WHERE chain_id = $1 AND channel = 'SMS' ORDER BY published_at DESC LIMIT 1`, [demo.chainId]);
    version = wording.version;
  });
  afterAll(() => app?.stop());

  const change = (granted: boolean) => actors.ok(CM, CHANGE, { input: { customerId, channel: 'SMS', granted, source: 'IN_STORE', wordingVersion: version } });

  it('a withdrawal after a grant stamped by a clock running ahead is still the latest event', async () => {
    await change(true);
    // The grant was written by another API process whose clock is an hour ahead.
    const ahead = new Date(Date.now() + 3600_000);
    await app.ownerCore.query(`UPDATE consent SET changed_at = $2 WHERE customer_id = $1 AND channel = 'SMS'`, [customerId, ahead]);
    await app.ownerCore.query('ALTER TABLE consent_event DISABLE TRIGGER USER');
    await app.ownerCore.query(`UPDATE consent_event SET changed_at = $2 WHERE customer_id = $1 AND channel = 'SMS'`, [customerId, ahead]);
    await app.ownerCore.query('ALTER TABLE consent_event ENABLE TRIGGER USER');
    await change(false);

    const at = new Date(Date.now() + 2 * 3600_000).toISOString();
    const state = await actors.ok<State>(CM, STATE, { id: customerId, at });
    const current = state.customer.consents.find((c) => c.channel === 'SMS');
    const asOf = state.customer.consentsAsOf.find((c) => c.channel === 'SMS');
    expect(current?.granted).toBe(false);
    expect(asOf?.granted).toBe(false);
  });

  it('two changes in quick succession are ordered as written', async () => {
    for (let i = 0; i < 10; i += 1) {
      // Both in one operation: executed one after the other, often within the same millisecond.
      await actors.ok(CM, `mutation($g: ConsentChangeInput!, $w: ConsentChangeInput!) { g: recordConsentChange(input: $g) { granted } w: recordConsentChange(input: $w) { granted } }`, {
        g: { customerId, channel: 'SMS', granted: true, source: 'IN_STORE', wordingVersion: version },
        w: { customerId, channel: 'SMS', granted: false, source: 'IN_STORE', wordingVersion: version },
      });
    }
    const rows: { changed_at: Date }[] = await app.ownerCore.query(
      `SELECT changed_at FROM consent_event WHERE customer_id = $1 AND channel = 'SMS' GROUP BY changed_at HAVING count(*) > 1`, [customerId]);
    expect(rows).toEqual([]);
    const state = await actors.ok<State>(CM, STATE, { id: customerId, at: new Date(Date.now() + 3 * 3600_000).toISOString() });
    expect(state.customer.consentsAsOf.find((c) => c.channel === 'SMS')?.granted).toBe(false);
  });
});
