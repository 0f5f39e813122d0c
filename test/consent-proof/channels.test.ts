/**
 * Consent channels (issue 11, items 1 and 6): consentChannels lists all four; setConsentChannels is the chain
 * manager's (a store-scoped manager is refused), records each change in the hash-chained security settings history,
 * and a disabled channel refuses consent writes while its history stays readable. Per-field consent edits: the demo
 * receptionist cannot change any channel, the demo assistant can change all four.
 */
import { verifySecuritySettings } from '../../src/hash-chain/security-setting-chain';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { sessionsFor } from '../support/sessions';
import { CONSENT_CHANGE, leedsCustomers, narrowRole } from './support';

const CHANNELS = '{ consentChannels { channel enabled } }';
const SET = 'mutation($enabled: [ConsentChannel!]!) { setConsentChannels(enabled: $enabled) { channel enabled } }';
const ALL = ['SMS', 'EMAIL', 'MAIL', 'SOCIAL_MEDIA'];

describe('consent channels', () => {
  let app: TestApp;
  let customers: string[];
  const sessions = sessionsFor(() => app);
  const as = sessions.as;

  beforeAll(async () => {
    app = await startTestApp();
    customers = await leedsCustomers(app, 6);
  });
  afterAll(() => app?.stop());

  it('lists all four channels, enabled, to anyone whose role reads ConsentSettings (store-scoped too)', async () => {
    for (const who of [EMAIL.chainManager, EMAIL.leedsReception, EMAIL.leedsManager, EMAIL.bi, EMAIL.dpo]) {
      const result = await as<{ consentChannels: { channel: string; enabled: boolean }[] }>(who, CHANNELS);
      expect(result.errors).toBeUndefined();
      expect(result.data!.consentChannels).toEqual(ALL.map((channel) => ({ channel, enabled: true })));
    }
  });

  it('lets only a chain-scoped grant change them (a store manager is FORBIDDEN, nothing changes)', async () => {
    const refused = await as(EMAIL.leedsManager, SET, { enabled: ['EMAIL'] });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const assistant = await as(EMAIL.leedsAssistant, SET, { enabled: ['EMAIL'] });
    expect(errorCodes(assistant)).toEqual(['FORBIDDEN']);
    expect((await as<{ consentChannels: { enabled: boolean }[] }>(EMAIL.chainManager, CHANNELS)).data!.consentChannels.every((c) => c.enabled)).toBe(true);
  });

  it('refuses a channel named twice with BAD_USER_INPUT on enabled', async () => {
    const result = await as(EMAIL.chainManager, SET, { enabled: ['EMAIL', 'EMAIL'] });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions?.field).toBe('enabled');
  });

  it('disables a channel: recorded in the settings history, consent writes refused, history kept; enabling again works', async () => {
    const customer = customers[0];
    // a grant and its history before the channel is disabled
    const granted = await as(EMAIL.leedsAssistant, CONSENT_CHANGE, { input: { customerId: customer, channel: 'SOCIAL_MEDIA', granted: true, source: 'IN_STORE', wordingVersion: '2024-01' } });
    expect(granted.errors).toBeUndefined();
    const [{ n: before }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_setting_change WHERE setting = 'ConsentChannels'`);

    const set = await as<{ setConsentChannels: { channel: string; enabled: boolean }[] }>(EMAIL.chainManager, SET, { enabled: ['EMAIL', 'SMS', 'MAIL'] });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setConsentChannels).toEqual(ALL.map((channel) => ({ channel, enabled: channel !== 'SOCIAL_MEDIA' })));
    expect((await as<{ consentChannels: unknown }>(EMAIL.leedsReception, CHANNELS)).data!.consentChannels).toEqual(set.data!.setConsentChannels);

    const history: { before: Record<string, boolean>; after: Record<string, boolean>; weakened: string[]; user_id: string }[] = await app.ownerCore.query(
      `SELECT before, after, weakened, user_id::text AS user_id FROM security_setting_change WHERE setting = 'ConsentChannels' ORDER BY seq`);
    expect(history).toHaveLength(before + 1);
    const [{ id: managerId }] = await app.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.chainManager]);
    expect(history[history.length - 1]).toEqual({
      before: { SMS: true, EMAIL: true, MAIL: true, SOCIAL_MEDIA: true }, after: { SMS: true, EMAIL: true, MAIL: true, SOCIAL_MEDIA: false }, weakened: [], user_id: managerId,
    });
    expect((await verifySecuritySettings(app.ownerCore)).ok).toBe(true);

    // setting the same channels again changes nothing and records nothing
    await as(EMAIL.chainManager, SET, { enabled: ['MAIL', 'SMS', 'EMAIL'] });
    expect(await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_setting_change WHERE setting = 'ConsentChannels'`)).toEqual([{ n: before + 1 }]);

    // consent writes on the disabled channel are refused, and change nothing
    const events = async () => (await app.ownerCore.query('SELECT count(*)::int AS n FROM consent_event WHERE customer_id = $1', [customer]))[0].n as number;
    const count = await events();
    for (const grantedFlag of [true, false]) {
      const refused = await as(EMAIL.leedsAssistant, CONSENT_CHANGE, { input: { customerId: customer, channel: 'SOCIAL_MEDIA', granted: grantedFlag, source: 'IN_STORE', wordingVersion: '2024-01' } });
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0].extensions?.field).toBe('input.channel');
    }
    expect(await events()).toBe(count);

    // its history is still there to read
    const read = await as<{ customer: { consents: { channel: string; granted: boolean; history: { granted: boolean; proof: { wordingText: string } }[] }[] } }>(
      EMAIL.leedsManager, 'query($id: ID!) { customer(id: $id) { consents { channel granted history { granted proof { wordingText } } } } }', { id: customer });
    expect(read.errors).toBeUndefined();
    const social = read.data!.customer.consents.find((c) => c.channel === 'SOCIAL_MEDIA')!;
    expect(social.granted).toBe(true);
    expect(social.history[0].proof.wordingText).toMatch(/social media/);

    // enabled again: writes work
    expect((await as(EMAIL.chainManager, SET, { enabled: ALL })).errors).toBeUndefined();
    const again = await as(EMAIL.leedsAssistant, CONSENT_CHANGE, { input: { customerId: customer, channel: 'SOCIAL_MEDIA', granted: false, source: 'PHONE', wordingVersion: '2024-01' } });
    expect(again.errors).toBeUndefined();
  });

  it('per channel field: the receptionist cannot change any channel; the assistant can change all four', async () => {
    const customer = customers[1];
    for (const channel of ALL) {
      const refused = await as(EMAIL.leedsReception, CONSENT_CHANGE, { input: { customerId: customer, channel, granted: true, source: 'IN_STORE', wordingVersion: '2024-01' } });
      expect([channel, errorCodes(refused)]).toEqual([channel, ['FORBIDDEN']]);
      const done = await as<{ recordConsentChange: { channel: string; granted: boolean } }>(EMAIL.leedsAssistant, CONSENT_CHANGE, { input: { customerId: customer, channel, granted: true, source: 'IN_STORE', wordingVersion: '2024-01' } });
      expect(done.errors).toBeUndefined();
      expect(done.data!.recordConsentChange).toMatchObject({ channel, granted: true });
    }
  });

  it('a role without read ConsentSettings is FORBIDDEN consentChannels and consentWordings', async () => {
    await narrowRole(sessions, EMAIL.chainManager, 'Receptionist', 'ConsentSettings');
    expect(errorCodes(await as(EMAIL.leedsReception, CHANNELS))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as(EMAIL.leedsReception, '{ consentWordings { version } }'))).toEqual(['FORBIDDEN']);
    // a role that reads only the channels sees the channels, not the wordings
    await narrowRole(sessions, EMAIL.chainManager, 'Optometrist', 'ConsentSettings', ['channels']);
    expect((await as(EMAIL.leedsOptometrist, CHANNELS)).errors).toBeUndefined();
    expect(errorCodes(await as(EMAIL.leedsOptometrist, '{ consentWordings { version } }'))).toEqual(['FORBIDDEN']);
  });
});
