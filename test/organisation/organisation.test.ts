/**
 * The organisation writes through the real server: createRegion, createStore and updateStore by the chain manager;
 * a new store is covered at once by chain- and region-scoped assignments (the regional manager of its region sees it
 * in `stores` on the session they already had, the store manager of another store does not) and the chain's authz
 * version moves; moving a store to another region changes who sees it; a closed store keeps its data, stays listed
 * and takes no new bookings; names unique per chain, case-insensitively, also under concurrency; the security
 * settings history keeps each change (settings Region and Store).
 *
 * Oracles from the domain (the demo chain: Clearview, regions North = Leeds, York, Harrogate and South = Bristol,
 * Bath; Lakeside, region Lakes = Keswick), not from the code checked.
 */
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { sessionsFor } from '../support/sessions';
import { acceptAs, createStaff } from '../support/staff-accounts';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE_REGION = 'mutation($input: CreateRegionInput!) { createRegion(input: $input) { id name } }';
const CREATE_STORE = 'mutation($input: CreateStoreInput!) { createStore(input: $input) { id name address city phone regionId open } }';
const UPDATE_STORE = 'mutation($id: ID!, $input: UpdateStoreInput!) { updateStore(id: $id, input: $input) { id name address city phone regionId open } }';
const STORES = '{ stores { id name open } }';

interface StoreData { id: string; name: string; address: string | null; city: string | null; phone: string | null; regionId: string; open: boolean }
type CreateStoreData = { createStore: StoreData };
type UpdateStoreData = { updateStore: StoreData };
type StoresData = { stores: { id: string; name: string; open: boolean }[] };

function badField(result: GraphQLResult<unknown>): string | undefined {
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  return result.errors?.[0].extensions?.field;
}

describe('organisation: regions and stores', () => {
  let app: TestApp;
  const { as, tokenOf } = sessionsFor(() => app);
  let chainId: string;
  let north: string;
  let south: string;
  let lakes: string;
  let keswick: string;
  let leeds: string;
  let counter = 0;
  const fresh = (prefix: string) => `${prefix} ${++counter}`;

  const authzVersion = async (): Promise<bigint> => {
    const [row] = await app.ownerCore.query('SELECT authz_version::text AS v FROM chain WHERE id = $1', [chainId]);
    return BigInt(row.v);
  };
  const storeIdsSeenBy = async (who: string): Promise<string[]> => {
    const result = await as<StoresData>(who, STORES);
    expect(result.errors).toBeUndefined();
    return result.data!.stores.map((s) => s.id);
  };
  const newStore = async (over: Record<string, unknown> = {}): Promise<StoreData> => {
    const result = await as<CreateStoreData>('chainManager', CREATE_STORE, { input: { name: fresh('Otley'), address: '1 Market Place\nOtley LS21 3AQ', regionId: north, ...over } });
    expect(result.errors).toBeUndefined();
    return result.data!.createStore;
  };

  beforeAll(async () => {
    app = await startTestApp();
    const id = async (sql: string, params: unknown[] = []): Promise<string> => String((await app.ownerCore.query(sql, params))[0].id);
    chainId = await id(`SELECT id FROM chain WHERE name = 'Clearview Opticians'`);
    north = await id(`SELECT id FROM region WHERE chain_id = $1 AND name = 'North'`, [chainId]);
    south = await id(`SELECT id FROM region WHERE chain_id = $1 AND name = 'South'`, [chainId]);
    leeds = await id(`SELECT id FROM store WHERE chain_id = $1 AND name = 'Leeds'`, [chainId]);
    lakes = await id(`SELECT r.id FROM region r JOIN chain c ON c.id = r.chain_id WHERE c.name = 'Lakeside Eyecare' AND r.name = 'Lakes'`);
    keswick = await id(`SELECT s.id FROM store s JOIN chain c ON c.id = s.chain_id WHERE c.name = 'Lakeside Eyecare' AND s.name = 'Keswick'`);
  });
  afterAll(() => app?.stop());

  describe('createRegion', () => {
    it('the chain manager creates a region; it is listed, without stores, and kept in the security settings history', async () => {
      const result = await as<{ createRegion: { id: string; name: string } }>('chainManager', CREATE_REGION, { input: { name: '  Midlands ' } });
      expect(result.errors).toBeUndefined();
      expect(result.data!.createRegion.name).toBe('Midlands');
      const listed = await as<{ regions: { id: string; name: string; stores: unknown[] }[] }>('chainManager', '{ regions { id name stores { id } } }');
      expect(listed.data!.regions).toContainEqual({ id: result.data!.createRegion.id, name: 'Midlands', stores: [] });
      const history = await app.ownerCore.query(
        `SELECT before, after, weakened FROM security_setting_change WHERE chain_id = $1 AND setting = 'Region' ORDER BY seq DESC LIMIT 1`, [chainId]);
      expect(history).toEqual([{ before: {}, after: { id: result.data!.createRegion.id, name: 'Midlands' }, weakened: [] }]);
    });

    it('a name the chain already uses (any case) is refused; another chain may use it', async () => {
      expect(badField(await as('chainManager', CREATE_REGION, { input: { name: 'north' } }))).toBe('input.name');
      const other = await as<{ createRegion: { name: string } }>('lakesideManager', CREATE_REGION, { input: { name: 'North' } });
      expect(other.errors).toBeUndefined();
    });

    it.each([
      ['an empty name', ''],
      ['a name of spaces', '   '],
      ['an invisible name', '\u200b'],
      ['a name over 100 characters', 'r'.repeat(101)],
      ['a name with a line break', 'East\nWest'],
    ])('refuses %s on input.name and writes nothing', async (_label, name) => {
      const [before] = await app.ownerCore.query('SELECT count(*)::int AS n FROM region');
      expect(badField(await as('chainManager', CREATE_REGION, { input: { name } }))).toBe('input.name');
      expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM region')).toEqual([before]);
    });

    it.each(['leedsManager', 'leedsReception', 'northManager', 'dpo'])('is FORBIDDEN for %s', async (who) => {
      expect(errorCodes(await as(who, CREATE_REGION, { input: { name: fresh('Forbidden region') } }))).toEqual(['FORBIDDEN']);
    });

    it('two concurrent createRegion with one name (differing in case): exactly one region', async () => {
      const results = await Promise.all(['Concurrent East', 'concurrent east', 'CONCURRENT EAST'].map((name) => as('chainManager', CREATE_REGION, { input: { name } })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      for (const r of results.filter((x) => x.errors)) expect(badField(r)).toBe('input.name');
      expect(await app.ownerCore.query(`SELECT count(*)::int AS n FROM region WHERE chain_id = $1 AND lower(name) = 'concurrent east'`, [chainId])).toEqual([{ n: 1 }]);
    });
  });

  describe('createStore', () => {
    it('a new store is covered at once by chain- and region-scoped assignments (sessions already open), not by another store’s', async () => {
      // Sessions (and their cached abilities) exist before the store does.
      const northBefore = await storeIdsSeenBy('northManager');
      await storeIdsSeenBy('chainManager');
      const leedsBefore = await storeIdsSeenBy('leedsManager');
      const version = await authzVersion();
      const store = await newStore({ name: 'Ilkley', address: '  12 The Grove\r\nIlkley LS29 9EG ', city: ' Ilkley ', phone: '01943 496 000' });
      expect(store).toMatchObject({ name: 'Ilkley', address: '12 The Grove\nIlkley LS29 9EG', city: 'Ilkley', phone: '01943 496 000', regionId: north, open: true });
      expect(await authzVersion()).toBeGreaterThan(version);
      expect(await storeIdsSeenBy('northManager')).toEqual(expect.arrayContaining([...northBefore, store.id]));
      expect(await storeIdsSeenBy('chainManager')).toContain(store.id);
      expect(await storeIdsSeenBy('leedsManager')).toEqual(leedsBefore);
      expect(await storeIdsSeenBy('locum')).not.toContain(store.id); // York and Bath only
      const region = await as<{ regions: { id: string; stores: { id: string }[] }[] }>('chainManager', '{ regions { id stores { id } } }');
      expect(region.data!.regions.find((r) => r.id === north)!.stores.map((s) => s.id)).toContain(store.id);
      const history = await app.ownerCore.query(
        `SELECT before, after FROM security_setting_change WHERE chain_id = $1 AND setting = 'Store' ORDER BY seq DESC LIMIT 1`, [chainId]);
      expect(history).toEqual([{ before: {}, after: { id: store.id, name: 'Ilkley', address: '12 The Grove\nIlkley LS29 9EG', city: 'Ilkley', phone: '01943 496 000', regionId: north, open: true } }]);
    });

    it('a store of a new region is covered by a chain-scoped assignment', async () => {
      const region = await as<{ createRegion: { id: string } }>('chainManager', CREATE_REGION, { input: { name: fresh('Scotland') } });
      const store = await newStore({ regionId: region.data!.createRegion.id });
      expect(await storeIdsSeenBy('dpo')).toContain(store.id);
      expect(await storeIdsSeenBy('northManager')).not.toContain(store.id);
    });

    it('city and phone are optional', async () => {
      const store = await newStore({ city: undefined, phone: undefined });
      expect(store).toMatchObject({ city: null, phone: null });
    });

    it.each([
      ['an empty name', { name: ' ' }, 'input.name'],
      ['a name over 100 characters', { name: 's'.repeat(101) }, 'input.name'],
      ['a name of a store of the chain (other case)', { name: 'LEEDS' }, 'input.name'],
      ['an empty address', { address: '  ' }, 'input.address'],
      ['an address over 500 characters', { address: 'a'.repeat(501) }, 'input.address'],
      ['an address with a control character', { address: '1 Main St\u0000' }, 'input.address'],
      ['an address with a bidi override', { address: '1 Main St\u202e' }, 'input.address'],
      ['a city over 100 characters', { city: 'c'.repeat(101) }, 'input.city'],
      ['a phone that is no number', { phone: 'call us' }, 'input.phone'],
      ['a phone over 40 characters', { phone: '1'.repeat(41) }, 'input.phone'],
    ])('refuses %s on %s and writes nothing', async (_label, over, field) => {
      const [before] = await app.ownerCore.query('SELECT count(*)::int AS n, (SELECT authz_version FROM chain WHERE id = $1) AS v FROM store', [chainId]);
      const result = await as('chainManager', CREATE_STORE, { input: { name: fresh('Bad'), address: '1 High St', regionId: north, ...over } });
      expect(badField(result)).toBe(field);
      expect(await app.ownerCore.query('SELECT count(*)::int AS n, (SELECT authz_version FROM chain WHERE id = $1) AS v FROM store', [chainId])).toEqual([before]);
    });

    it('another chain’s region or an unknown one is NOT_FOUND (a non-id is BAD_USER_INPUT)', async () => {
      expect(badField(await as('chainManager', CREATE_STORE, { input: { name: fresh('Nowhere'), address: '1 High St', regionId: 'north' } }))).toBe('input.regionId');
      for (const regionId of [lakes, '00000000-0000-4000-8000-000000000000']) {
        expect(errorCodes(await as('chainManager', CREATE_STORE, { input: { name: fresh('Nowhere'), address: '1 High St', regionId } }))).toEqual(['NOT_FOUND']);
      }
      expect(errorCodes(await as('lakesideManager', CREATE_STORE, { input: { name: fresh('Nowhere'), address: '1 High St', regionId: north } }))).toEqual(['NOT_FOUND']);
    });

    it.each(['leedsManager', 'leedsReception', 'northManager', 'leedsOptometrist'])('is FORBIDDEN for %s', async (who) => {
      const [before] = await app.ownerCore.query('SELECT count(*)::int AS n FROM store');
      expect(errorCodes(await as(who, CREATE_STORE, { input: { name: fresh('Forbidden'), address: '1 High St', regionId: north } }))).toEqual(['FORBIDDEN']);
      expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM store')).toEqual([before]);
    });

    it('two concurrent createStore with one name: exactly one store, the other BAD_USER_INPUT on input.name', async () => {
      const name = fresh('Skipton');
      const results = await Promise.all([name, name, name.toUpperCase()].map((n) => as<CreateStoreData>('chainManager', CREATE_STORE, { input: { name: n, address: '1 High St', regionId: north } })));
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      for (const r of results.filter((x) => x.errors)) expect(badField(r)).toBe('input.name');
      expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM store WHERE chain_id = $1 AND lower(name) = lower($2)', [chainId, name])).toEqual([{ n: 1 }]);
    });
  });

  describe('updateStore', () => {
    it('moving a store to another region changes who sees it and bumps the authz version', async () => {
      const store = await newStore();
      expect(await storeIdsSeenBy('northManager')).toContain(store.id);
      const version = await authzVersion();
      const moved = await as<UpdateStoreData>('chainManager', UPDATE_STORE, { id: store.id, input: { regionId: south } });
      expect(moved.errors).toBeUndefined();
      expect(moved.data!.updateStore.regionId).toBe(south);
      expect(await authzVersion()).toBeGreaterThan(version);
      expect(await storeIdsSeenBy('northManager')).not.toContain(store.id);
      expect(await storeIdsSeenBy('chainManager')).toContain(store.id);
      const history = await app.ownerCore.query(
        `SELECT before->>'regionId' AS "from", after->>'regionId' AS "to" FROM security_setting_change WHERE chain_id = $1 AND setting = 'Store' ORDER BY seq DESC LIMIT 1`, [chainId]);
      expect(history).toEqual([{ from: north, to: south }]);
    });

    it('renames and re-addresses a store; its own name in another case is fine, another store’s is not', async () => {
      const store = await newStore();
      const renamed = await as<UpdateStoreData>('chainManager', UPDATE_STORE, { id: store.id, input: { name: store.name.toUpperCase(), address: '2 Kirkgate', phone: '' } });
      expect(renamed.errors).toBeUndefined();
      expect(renamed.data!.updateStore).toMatchObject({ name: store.name.toUpperCase(), address: '2 Kirkgate', phone: null, regionId: north, open: true });
      expect(badField(await as('chainManager', UPDATE_STORE, { id: store.id, input: { name: 'york' } }))).toBe('input.name');
    });

    it('a closed store keeps its data and stays listed, takes no new bookings, and can be reopened', async () => {
      const [customer] = await app.ownerCore.query(`SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' LIMIT 1`, [leeds]);
      const store = await newStore();
      const startsAt = new Date(Date.now() + 5 * 86400_000);
      startsAt.setUTCHours(9, 0, 0, 0);
      const book = () => as('chainManager', 'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id storeId } }', {
        input: { customerId: customer.id, storeId: store.id, type: 'SIGHT_TEST', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 1800_000).toISOString() },
      });
      const booked = await book();
      expect(booked.errors).toBeUndefined();
      const closed = await as<UpdateStoreData>('chainManager', UPDATE_STORE, { id: store.id, input: { open: false } });
      expect(closed.data!.updateStore.open).toBe(false);
      const listed = await as<StoresData>('northManager', STORES);
      expect(listed.data!.stores).toContainEqual({ id: store.id, name: store.name, open: false });
      expect(badField(await book())).toBe('input.storeId');
      expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM appointment WHERE store_id = $1', [store.id])).toEqual([{ n: 1 }]);
      const reopened = await as<UpdateStoreData>('chainManager', UPDATE_STORE, { id: store.id, input: { open: true } });
      expect(reopened.data!.updateStore.open).toBe(true);
      startsAt.setUTCHours(11, 0, 0, 0);
      expect((await book()).errors).toBeUndefined();
    });

    it.each([
      ['no change at all', {}, 'input'],
      ['an empty name', { name: '' }, 'input.name'],
      ['an empty address', { address: '' }, 'input.address'],
      ['open null', { open: null }, 'input.open'],
      ['regionId null', { regionId: null }, 'input.regionId'],
      ['a bad phone', { phone: 'no' }, 'input.phone'],
    ])('refuses %s on %s and changes nothing', async (_label, input, field) => {
      const [before] = await app.ownerCore.query('SELECT * FROM store WHERE id = $1', [leeds]);
      expect(badField(await as('chainManager', UPDATE_STORE, { id: leeds, input }))).toBe(field);
      expect(await app.ownerCore.query('SELECT * FROM store WHERE id = $1', [leeds])).toEqual([before]);
    });

    it('another chain’s store, an unknown one, or a move to another chain’s region is NOT_FOUND', async () => {
      for (const id of [keswick, '00000000-0000-4000-8000-000000000000']) {
        expect(errorCodes(await as('chainManager', UPDATE_STORE, { id, input: { open: false } }))).toEqual(['NOT_FOUND']);
      }
      expect(errorCodes(await as('lakesideManager', UPDATE_STORE, { id: leeds, input: { name: 'Taken over' } }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await as('chainManager', UPDATE_STORE, { id: leeds, input: { regionId: lakes } }))).toEqual(['NOT_FOUND']);
      const [row] = await app.ownerCore.query('SELECT region_id, open FROM store WHERE id = $1', [keswick]);
      expect(row).toEqual({ region_id: lakes, open: true });
    });

    it.each(['leedsManager', 'leedsReception', 'northManager', 'leedsOptometrist'])('is FORBIDDEN for %s, even on their own store', async (who) => {
      const [before] = await app.ownerCore.query('SELECT * FROM store WHERE id = $1', [leeds]);
      for (const input of [{ name: 'Leeds Central' }, { open: false }, { regionId: south }]) {
        expect(errorCodes(await as(who, UPDATE_STORE, { id: leeds, input }))).toEqual(['FORBIDDEN']);
      }
      expect(await app.ownerCore.query('SELECT * FROM store WHERE id = $1', [leeds])).toEqual([before]);
    });
  });

  describe('grants narrower than the chain manager’s', () => {
    /** A new member of staff holding a role of `entries` at `scope`, signed in: their token. */
    const holderOf = async (entries: Record<string, unknown>[], scope: Record<string, unknown>): Promise<string> => {
      const role = await as<{ createRole: { id: string } }>('chainManager', 'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
        { input: { name: fresh('Organisation probe'), permissions: entries } });
      expect(role.errors).toBeUndefined();
      const staff = await createStaff(app, await tokenOf('chainManager'), { profession: 'RECEPTIONIST', registrationNumber: null });
      const assigned = await as('chainManager', 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }',
        { input: { userId: staff.id, roleId: role.data!.createRole.id, ...scope } });
      expect(assigned.errors).toBeUndefined();
      const accepted = await acceptAs(app, staff.token, 'Periwinkle-harbour-lamp-3302');
      expect(accepted.errors).toBeUndefined();
      return accepted.data!.acceptInvitation.token;
    };
    const STORE_RIGHTS = [{ action: 'read', subject: 'Store' }, { action: 'create', subject: 'Store' }, { action: 'update', subject: 'Store' }, { action: 'create', subject: 'Region' }];

    it('a region-scoped grant creates nothing, updates the region’s stores but cannot move them, and does not reach other stores', async () => {
      const token = await holderOf(STORE_RIGHTS, { scopeType: 'REGION', regionId: north });
      const [york] = await app.ownerCore.query(`SELECT id FROM store WHERE chain_id = $1 AND name = 'York'`, [chainId]);
      const [bristol] = await app.ownerCore.query(`SELECT id FROM store WHERE chain_id = $1 AND name = 'Bristol'`, [chainId]);
      expect(errorCodes(await app.request(CREATE_STORE, { input: { name: fresh('Regional'), address: '1 High St', regionId: north } }, token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await app.request(CREATE_REGION, { input: { name: fresh('Regional region') } }, token))).toEqual(['FORBIDDEN']);
      const renamed = await app.request<UpdateStoreData>(UPDATE_STORE, { id: york.id, input: { phone: '01904 496 001' } }, token);
      expect(renamed.errors).toBeUndefined();
      expect(renamed.data!.updateStore.phone).toBe('01904 496 001');
      expect(errorCodes(await app.request(UPDATE_STORE, { id: york.id, input: { regionId: south } }, token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await app.request(UPDATE_STORE, { id: bristol.id, input: { phone: '0117 496 0001' } }, token))).toEqual(['NOT_FOUND']);
      expect(await app.ownerCore.query('SELECT region_id, phone FROM store WHERE id = ANY($1::uuid[]) ORDER BY name', [[york.id, bristol.id]]))
        .toEqual([{ region_id: south, phone: '0117 496 0000' }, { region_id: north, phone: '01904 496 001' }]);
    });

    it('a store moved into a region is seen by that region’s assignments on their open session, and no longer by the old region’s', async () => {
      const southReader = await holderOf([{ action: 'read', subject: 'Store' }], { scopeType: 'REGION', regionId: south });
      const seenBySouth = async (): Promise<string[]> => {
        const result = await app.request<StoresData>(STORES, {}, southReader);
        expect(result.errors).toBeUndefined();
        return result.data!.stores.map((x) => x.id);
      };
      const store = await newStore();
      expect(await seenBySouth()).not.toContain(store.id);
      expect(await storeIdsSeenBy('northManager')).toContain(store.id);
      expect((await as('chainManager', UPDATE_STORE, { id: store.id, input: { regionId: south } })).errors).toBeUndefined();
      expect(await seenBySouth()).toContain(store.id);
      expect(await storeIdsSeenBy('northManager')).not.toContain(store.id);
      expect((await as('chainManager', UPDATE_STORE, { id: store.id, input: { regionId: north } })).errors).toBeUndefined();
      expect(await seenBySouth()).not.toContain(store.id);
      expect(await storeIdsSeenBy('northManager')).toContain(store.id);
    });

    it('update is checked per field: a grant of update Store.name cannot close a store or move it', async () => {
      const token = await holderOf([{ action: 'read', subject: 'Store' }, { action: 'update', subject: 'Store', fields: ['name'] }], { scopeType: 'CHAIN' });
      const store = await newStore();
      expect(errorCodes(await app.request(UPDATE_STORE, { id: store.id, input: { open: false } }, token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await app.request(UPDATE_STORE, { id: store.id, input: { regionId: south } }, token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await app.request(UPDATE_STORE, { id: store.id, input: { name: fresh('Renamed'), address: 'x' } }, token))).toEqual(['FORBIDDEN']);
      const renamed = await app.request<UpdateStoreData>(UPDATE_STORE, { id: store.id, input: { name: `${store.name} renamed` } }, token);
      expect(renamed.errors).toBeUndefined();
    });

    it('create is checked per field: a grant of create Store without phone cannot set one', async () => {
      const token = await holderOf([{ action: 'read', subject: 'Store' }, { action: 'create', subject: 'Store', fields: ['name', 'address', 'regionId'] }], { scopeType: 'CHAIN' });
      expect(errorCodes(await app.request(CREATE_STORE, { input: { name: fresh('Fielded'), address: '1 High St', regionId: north, phone: '0113 000' } }, token))).toEqual(['FORBIDDEN']);
      const made = await app.request<CreateStoreData>(CREATE_STORE, { input: { name: fresh('Fielded'), address: '1 High St', regionId: north } }, token);
      expect(made.errors).toBeUndefined();
    });
  });
});
