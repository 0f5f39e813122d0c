/**
 * The marketing list through the real server: customers crafted to fail each rule (as the database's owner),
 * the manifest's counts and content hash recomputed from the domain text (list-oracle.ts), keyset paging,
 * the storeIds filter and the list scope (NOT_FOUND outside it), FORBIDDEN without export MarketingList,
 * fields hidden per role, the logging of every page (marketing_list_export and the access log's MarketingList
 * entries) and a disabled channel.
 */
import { randomUUID } from 'node:crypto';
import { contactHashes } from '../../src/services/consent/contact-hash-sql';
import { errorCodes } from '../support/graphql-client';
import { Actors, CM, NORTH } from '../support/manager-actors';
import { EMAIL } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { expectedList, RULES } from './list-oracle';

const LIST = `query($channel: ConsentChannel!, $storeIds: [ID!], $first: Int, $after: String) {
  marketingList(channel: $channel, storeIds: $storeIds, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id email homeStoreId } }
    manifest { channel takenAt rules considered included excluded { rule count } contentHash }
  } }`;

interface Manifest { channel: string; takenAt: string; rules: string[]; considered: number; included: number; excluded: { rule: string; count: number }[]; contentHash: string }
interface ListPage {
  marketingList: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; email: string | null; homeStoreId: string } }[];
    manifest: Manifest;
  };
}

describe('marketingList', () => {
  let app: TestApp;
  let actors: Actors;
  let chainId: string;
  let stores: Record<string, string>;
  let allStores: string[];
  let northStores: string[];
  /** Crafted Leeds customers by the rule they must fail on EMAIL (null: included). */
  const crafted: Record<string, string> = {};

  async function customer(values: { status?: string; email?: string | null; phone?: string | null; store?: string }): Promise<string> {
    const id = randomUUID();
    await app.ownerCore.query(
      `INSERT INTO customer (id, chain_id, home_store_id, first_name, last_name, date_of_birth, email, phone, address_line1, postcode, status)
       VALUES ($1, $2, $3, 'Test', 'Marketing', '1980-01-01', $4, $5, '1 High Street', 'LS1 1AA', $6)`,
      [id, chainId, stores[values.store ?? 'Leeds'], values.email === undefined ? `${id}@example.test` : values.email, values.phone ?? null, values.status ?? 'ACTIVE'],
    );
    return id;
  }

  async function consent(customerId: string, channel: string, granted: boolean): Promise<void> {
    await app.ownerCore.query(
      `INSERT INTO consent (chain_id, customer_id, channel, granted, changed_at, actor, source, wording_version)
       VALUES ($1, $2, $3, $4, now(), 'STAFF', 'IN_STORE', '2024-01')
       ON CONFLICT (customer_id, channel) DO UPDATE SET granted = EXCLUDED.granted`,
      [chainId, customerId, channel, granted],
    );
  }

  async function suppress(email: string | null, phone: string | null): Promise<void> {
    const hashes = contactHashes(chainId, { email, phone }, app.config.suppressionKey);
    await app.ownerCore.query('INSERT INTO marketing_suppression (chain_id, email_hash, phone_hash) VALUES ($1, $2, $3)', [chainId, hashes.emailHash, hashes.phoneHash]);
  }

  async function page(email: string, variables: Record<string, unknown>) {
    return actors.as<ListPage>(email, LIST, variables);
  }

  /** Every page of the list, `first` at a time. */
  async function walk(email: string, channel: string, first: number, storeIds?: string[]): Promise<{ ids: string[]; manifests: Manifest[] }> {
    const ids: string[] = [];
    const manifests: Manifest[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await page(email, { channel, first, after, storeIds });
      expect(answer.errors).toBeUndefined();
      const list = answer.data!.marketingList;
      expect(list.edges.length).toBeLessThanOrEqual(first);
      ids.push(...list.edges.map((e) => e.node.id));
      manifests.push(list.manifest);
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    return { ids, manifests };
  }

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    const demo = await actors.demo();
    chainId = demo.chainId;
    stores = demo.stores;
    allStores = Object.values(stores);
    northStores = ['Leeds', 'York', 'Harrogate'].map((name) => stores[name]);

    const granted = async (values: Parameters<typeof customer>[0]) => {
      const id = await customer(values);
      await consent(id, 'EMAIL', true);
      return id;
    };
    crafted.included = await granted({});
    crafted.includedToo = await granted({ phone: '+44 113 000 0001' });
    crafted.inactive = await granted({ status: 'INACTIVE' });
    crafted.restricted = await granted({});
    await app.ownerCore.query(`INSERT INTO processing_restriction (customer_id, chain_id, restricted, reason, changed_at) VALUES ($1, $2, TRUE, 'test', now())`, [crafted.restricted, chainId]);
    crafted.liftedRestriction = await granted({});
    await app.ownerCore.query(`INSERT INTO processing_restriction (customer_id, chain_id, restricted, reason, changed_at) VALUES ($1, $2, FALSE, 'lifted', now())`, [crafted.liftedRestriction, chainId]);
    crafted.objected = await granted({});
    await app.ownerCore.query(`INSERT INTO marketing_objection (chain_id, customer_id, source, actor) VALUES ($1, $2, 'IN_STORE', 'STAFF')`, [chainId, crafted.objected]);
    // Suppressed by a contact hash only (e.g. a re-created customer): email with other case and spaces, phone with other punctuation.
    crafted.suppressedEmail = await granted({ email: '  Former.Customer@Example.TEST ' });
    await suppress('former.customer@example.test', null);
    crafted.suppressedPhone = await granted({ email: 'phone-suppressed@example.test', phone: '(0113) 496-0999' });
    await suppress(null, '01134960999');
    crafted.noConsent = await customer({});
    crafted.withdrawn = await customer({});
    await consent(crafted.withdrawn, 'EMAIL', false);
    crafted.noEmail = await granted({ email: null });
    crafted.blankEmail = await granted({ email: '   ' });
    // An inactive, objected customer counts once, under the first rule (INACTIVE).
    crafted.inactiveAndObjected = await granted({ status: 'INACTIVE' });
    await app.ownerCore.query(`INSERT INTO marketing_objection (chain_id, customer_id, source, actor) VALUES ($1, $2, 'PHONE', 'STAFF')`, [chainId, crafted.inactiveAndObjected]);
    crafted.bath = await granted({ store: 'Bath' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('applies each rule, first failing rule wins, and the manifest matches the domain text', async () => {
    const expected = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'EMAIL', allStores);
    const rules: Record<string, string | null> = {
      included: null, includedToo: null, inactive: 'INACTIVE', restricted: 'RESTRICTED', liftedRestriction: null, objected: 'OBJECTED',
      suppressedEmail: 'OBJECTED', suppressedPhone: 'OBJECTED', noConsent: 'NO_CONSENT', withdrawn: 'WITHDRAWN', noEmail: 'NO_CONTACT_DETAIL',
      blankEmail: 'NO_CONTACT_DETAIL', inactiveAndObjected: 'INACTIVE', bath: null,
    };
    for (const [name, rule] of Object.entries(rules)) expect({ name, rule: expected.ruleOf.get(crafted[name]) }).toEqual({ name, rule });

    const { ids, manifests } = await walk(CM, 'EMAIL', 37);
    expect(ids).toEqual(expected.included);
    const [manifest] = manifests;
    expect(manifest).toEqual({
      channel: 'EMAIL', takenAt: expect.any(String), rules: RULES.map((rule) => expect.stringMatching(new RegExp(`^${rule}: `))),
      considered: expected.considered, included: expected.included.length, excluded: expected.excluded, contentHash: expected.contentHash,
    });
    expect(manifest.considered).toBe(manifest.included + manifest.excluded.reduce((sum, e) => sum + e.count, 0));
    // Every page carries the same manifest (nothing changed in between).
    for (const later of manifests) expect({ ...later, takenAt: null }).toEqual({ ...manifest, takenAt: null });
    for (const id of [crafted.included, crafted.includedToo, crafted.liftedRestriction, crafted.bath]) expect(ids).toContain(id);
  });

  it('pages by cursor in id order with totalCount, and refuses bad page arguments', async () => {
    const first = await page(CM, { channel: 'EMAIL', first: 5 });
    const list = first.data!.marketingList;
    expect(list.edges).toHaveLength(5);
    expect(list.totalCount).toBe(list.manifest.included);
    const second = await page(CM, { channel: 'EMAIL', first: 5, after: list.pageInfo.endCursor });
    const ids = [...list.edges, ...second.data!.marketingList.edges].map((e) => e.node.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(10);
    expect(errorCodes(await page(CM, { channel: 'EMAIL', first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await page(CM, { channel: 'EMAIL', first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await page(CM, { channel: 'EMAIL', after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    const defaults = await page(CM, { channel: 'EMAIL' });
    expect(defaults.data!.marketingList.edges).toHaveLength(Math.min(50, list.manifest.included));
  });

  it('considers only the caller’s list scope, narrowed by storeIds; a store outside it is NOT_FOUND', async () => {
    const north = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'EMAIL', northStores);
    const { ids, manifests } = await walk(NORTH, 'EMAIL', 100);
    expect(ids).toEqual(north.included);
    expect(manifests[0].considered).toBe(north.considered);
    expect(manifests[0].contentHash).toBe(north.contentHash);
    expect(ids).not.toContain(crafted.bath);

    const leeds = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'EMAIL', [stores.Leeds]);
    const narrowed = await walk(NORTH, 'EMAIL', 100, [stores.Leeds, stores.Leeds]);
    expect(narrowed.ids).toEqual(leeds.included);
    expect(narrowed.manifests[0].excluded).toEqual(leeds.excluded);

    expect(errorCodes(await page(NORTH, { channel: 'EMAIL', storeIds: [stores.Bath] }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await page(NORTH, { channel: 'EMAIL', storeIds: [stores.Leeds, randomUUID()] }))).toEqual(['NOT_FOUND']);
    const garbage = await page(NORTH, { channel: 'EMAIL', storeIds: ['leeds'] });
    expect(errorCodes(garbage)).toEqual(['BAD_USER_INPUT']);
    expect(garbage.errors![0].extensions!.field).toBe('storeIds[0]');
  });

  it('is FORBIDDEN without export MarketingList (store manager, receptionist) and UNAUTHENTICATED without a session', async () => {
    for (const email of [EMAIL.leedsManager, EMAIL.leedsReception, EMAIL.leedsOptometrist]) {
      const answer = await page(email, { channel: 'EMAIL' });
      expect(errorCodes(answer)).toEqual(['FORBIDDEN']);
      expect(answer.data).toBeNull();
    }
    expect(errorCodes(await app.request(LIST, { channel: 'EMAIL' }, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('shows only the fields the caller may read at each customer’s store', async () => {
    // The BI service account reads 12 marketing fields: no date of birth.
    const bi = await actors.as<{ marketingList: { edges: { node: { id: string; email: string; dateOfBirth: string | null } }[] } }>(
      EMAIL.bi, '{ marketingList(channel: EMAIL, first: 3) { edges { node { id email dateOfBirth } } } }');
    expect(bi.data!.marketingList.edges).toHaveLength(3);
    expect(bi.data!.marketingList.edges.every((e) => e.node.email && e.node.dateOfBirth === null)).toBe(true);
    expect(new Set(errorCodes(bi))).toEqual(new Set(['FORBIDDEN']));
    expect(bi.errors!.every((e) => e.path!.at(-1) === 'dateOfBirth')).toBe(true);

    // A role with export MarketingList and every Customer field but email, chain-wide; email readable at Leeds only.
    const userId = await actors.makeStaff('marketing.no-email@clearview.example', 'Mia Noemail');
    const everyButEmail = ['id', 'firstName', 'lastName', 'phone', 'homeStoreId', 'status'];
    await actors.giveRole(userId, 'Marketing without email', [{ action: 'export', subject: 'MarketingList' }, { action: 'read', subject: 'Customer', fields: everyButEmail }]);
    await actors.giveRole(userId, 'Leeds email', [{ action: 'read', subject: 'Customer', fields: ['email'] }], { scopeType: 'STORE', storeId: stores.Leeds });
    const answer = await actors.as<ListPage>('marketing.no-email@clearview.example', LIST, { channel: 'EMAIL', first: 100 });
    const edges = answer.data!.marketingList.edges;
    expect(edges.length).toBeGreaterThan(0);
    for (const { node } of edges) {
      if (node.homeStoreId === stores.Leeds) expect(node.email).toEqual(expect.any(String));
      else expect(node.email).toBeNull();
    }
    const refused = (answer.errors ?? []).filter((e) => e.path!.at(-1) === 'email');
    expect(refused.length).toBe(edges.filter((e) => e.node.homeStoreId !== stores.Leeds).length);
    expect(refused.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
  });

  it('logs every page (marketing_list_export, route GRAPHQL) and each customer on it in the access log (subject MarketingList)', async () => {
    const [{ id: biId }]: { id: string }[] = await app.ownerCore.query('SELECT id FROM staff_user WHERE email = $1', [EMAIL.bi]);
    const before: { n: number }[] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM marketing_list_export WHERE user_id = $1`, [biId]);
    const answer = await actors.as<ListPage>(EMAIL.bi, LIST, { channel: 'EMAIL', first: 4, storeIds: [stores.York] });
    expect(answer.errors).toBeUndefined();
    const list = answer.data!.marketingList;
    const rows: { route: string; channel: string; store_ids: string[]; format: string | null; row_count: number; manifest_hash: string; completed: boolean; request_id: string; session_id: string }[] =
      await app.ownerCore.query(`SELECT route, channel::text, store_ids::text[] AS store_ids, format, row_count, manifest_hash, completed, request_id, session_id::text
        FROM marketing_list_export WHERE user_id = $1 ORDER BY occurred_at DESC LIMIT 1`, [biId]);
    const after: { n: number }[] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM marketing_list_export WHERE user_id = $1`, [biId]);
    expect(after[0].n).toBe(before[0].n + 1);
    expect(rows[0]).toEqual({
      route: 'GRAPHQL', channel: 'EMAIL', store_ids: [stores.York], format: null, row_count: list.edges.length,
      manifest_hash: list.manifest.contentHash, completed: true, request_id: expect.any(String), session_id: expect.any(String),
    });
    const logged: { customer_id: string }[] = await app.ownerClinical.query(
      `SELECT customer_id::text FROM clinical_access_log_entry WHERE user_id = $1 AND subject = 'MarketingList' AND request_id = $2`, [biId, rows[0].request_id]);
    expect(logged.map((r) => r.customer_id).sort()).toEqual(list.edges.map((e) => e.node.id).sort());
    // The append-only log refuses changes.
    await expect(app.ownerCore.query('UPDATE marketing_list_export SET completed = FALSE')).rejects.toThrow();
  });

  it('excludes everyone under CHANNEL_DISABLED when the chain disabled the channel', async () => {
    await app.ownerCore.query(`UPDATE chain SET enabled_consent_channels = '{EMAIL,SMS,MAIL}' WHERE id = $1`, [chainId]);
    try {
      const answer = await page(CM, { channel: 'SOCIAL_MEDIA' });
      const manifest = answer.data!.marketingList.manifest;
      expect(answer.data!.marketingList.edges).toEqual([]);
      expect(manifest.included).toBe(0);
      expect(manifest.excluded.find((e) => e.rule === 'CHANNEL_DISABLED')!.count).toBe(manifest.considered);
      expect(manifest.contentHash).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      const expected = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, 'SOCIAL_MEDIA', allStores);
      expect(manifest.excluded).toEqual(expected.excluded);
    } finally {
      await app.ownerCore.query(`UPDATE chain SET enabled_consent_channels = '{SMS,EMAIL,MAIL,SOCIAL_MEDIA}' WHERE id = $1`, [chainId]);
    }
  });

  it('applies each channel’s contact detail rule (SMS: phone; MAIL: address and postcode; SOCIAL_MEDIA: email or phone)', async () => {
    for (const channel of ['SMS', 'MAIL', 'SOCIAL_MEDIA']) {
      const expected = await expectedList(app.ownerCore, app.config.suppressionKey, chainId, channel, allStores);
      const { ids, manifests } = await walk(CM, channel, 100);
      expect({ channel, ids }).toEqual({ channel, ids: expected.included });
      expect({ channel, excluded: manifests[0].excluded, hash: manifests[0].contentHash }).toEqual({ channel, excluded: expected.excluded, hash: expected.contentHash });
    }
  });
});
