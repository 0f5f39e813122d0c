/**
 * Look-ups by name for chain managers (issue 10, item 8), through the real API with real sessions:
 * `users(email:)` and `stores(name:)` (case-insensitive, exact), and `regions` with their stores. Each
 * answers only rows the caller may see (other chains and other stores never appear), refuses a filter
 * by a field the caller may not read (FORBIDDEN naming the argument), refuses a blank term
 * (BAD_USER_INPUT), and `regions` is denied to a role without `read Region`.
 */
import { RegionsForRoleManagers1796170000000 } from '../../migrations/core/1796170000000-RegionsForRoleManagers';
import { Actors, CM, Demo, LAKESIDE, LOCUM, NORTH, RECEPTION, refusals } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const USERS_BY_EMAIL = 'query($email: String) { users(email: $email) { id name email } }';
const STORES_BY_NAME = 'query($name: String) { stores(name: $name) { id name city } }';
const REGIONS = '{ regions { id name stores { id name } } }';

describe('look-ups by name', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  const NAMES_ONLY = 'names.only@clearview.example';
  const YORK_REGION_READER = 'york.regions@clearview.example';
  const REGION_IDS_ONLY = 'region.ids@clearview.example';

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    demo = await actors.demo();
    // Reads staff names (not emails) and store cities (not names), chain-wide.
    await actors.giveRole(await actors.makeStaff(NAMES_ONLY, 'Nina Names'), 'Names only', [
      { action: 'read', subject: 'User', fields: ['id', 'name'] }, { action: 'read', subject: 'Store', fields: ['id', 'city'] },
    ]);
    // Reads regions and stores at York only.
    await actors.giveRole(await actors.makeStaff(YORK_REGION_READER, 'Yuri York'), 'York regions', [
      { action: 'read', subject: 'Region' }, { action: 'read', subject: 'Store' },
    ], { scopeType: 'STORE', storeId: demo.stores.York });
    // Reads region ids only.
    await actors.giveRole(await actors.makeStaff(REGION_IDS_ONLY, 'Ida Ids'), 'Region ids', [{ action: 'read', subject: 'Region', fields: ['id'] }]);
  });
  afterAll(() => app?.stop());

  describe('users(email:)', () => {
    it('finds the one member of staff with that email, whatever its case', async () => {
      const { users } = await actors.ok<{ users: { id: string; name: string; email: string }[] }>(CM, USERS_BY_EMAIL, { email: ' Leeds.Reception@CLEARVIEW.example ' });
      expect(users).toEqual([{ id: demo.users[RECEPTION], name: 'Rita Okafor', email: RECEPTION }]);
    });

    it('answers [] for an unknown email, another chain’s user, or a user the caller may not see', async () => {
      expect((await actors.ok<{ users: unknown[] }>(CM, USERS_BY_EMAIL, { email: 'nobody@clearview.example' })).users).toEqual([]);
      expect((await actors.ok<{ users: unknown[] }>(CM, USERS_BY_EMAIL, { email: LAKESIDE })).users).toEqual([]);
      expect((await actors.ok<{ users: unknown[] }>(LAKESIDE, USERS_BY_EMAIL, { email: CM })).users).toEqual([]);
      // The regional manager's store-confined `read User` reaches no staff record but their own.
      expect((await actors.ok<{ users: unknown[] }>(NORTH, USERS_BY_EMAIL, { email: RECEPTION })).users).toEqual([]);
      expect((await actors.ok<{ users: { email: string }[] }>(NORTH, USERS_BY_EMAIL, { email: NORTH })).users.map((u) => u.email)).toEqual([NORTH]);
    });

    it('keeps users without the filter as it was: every member of staff the caller sees', async () => {
      const { users } = await actors.ok<{ users: { email: string }[] }>(CM, USERS_BY_EMAIL, {});
      expect(users.map((u) => u.email)).toEqual(expect.arrayContaining([CM, NORTH, RECEPTION, LOCUM, NAMES_ONLY]));
      expect(users.map((u) => u.email)).not.toContain(LAKESIDE);
    });

    it('is FORBIDDEN (naming email) to a caller who may not read every visible user’s email', async () => {
      const result = await actors.as(NAMES_ONLY, USERS_BY_EMAIL, { email: RECEPTION });
      expect(refusals(result)).toMatchObject({ codes: ['FORBIDDEN'], fields: ['email'] });
      // The same caller lists names without the filter.
      const { users } = await actors.ok<{ users: { name: string }[] }>(NAMES_ONLY, '{ users { id name } }');
      expect(users.map((u) => u.name)).toContain('Rita Okafor');
    });

    it('refuses a blank email with BAD_USER_INPUT naming email', async () => {
      expect(refusals(await actors.as(CM, USERS_BY_EMAIL, { email: '   ' }))).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: ['email'] });
    });
  });

  describe('stores(name:)', () => {
    it('matches the whole name, case-insensitively: "leeds" is Leeds, "Lee" is nothing', async () => {
      expect((await actors.ok<{ stores: { id: string; name: string }[] }>(CM, STORES_BY_NAME, { name: 'leeds' })).stores)
        .toEqual([{ id: demo.stores.Leeds, name: 'Leeds', city: 'Leeds' }]);
      expect((await actors.ok<{ stores: unknown[] }>(CM, STORES_BY_NAME, { name: 'Lee' })).stores).toEqual([]);
    });

    it('never finds a store the caller may not see, nor another chain’s', async () => {
      // The locum works at York and Bath.
      expect((await actors.ok<{ stores: unknown[] }>(LOCUM, STORES_BY_NAME, { name: 'Leeds' })).stores).toEqual([]);
      expect((await actors.ok<{ stores: { name: string }[] }>(LOCUM, STORES_BY_NAME, { name: 'bath' })).stores.map((s) => s.name)).toEqual(['Bath']);
      expect((await actors.ok<{ stores: unknown[] }>(CM, STORES_BY_NAME, { name: 'Keswick' })).stores).toEqual([]);
      expect((await actors.ok<{ stores: { name: string }[] }>(LAKESIDE, STORES_BY_NAME, { name: 'Keswick' })).stores.map((s) => s.name)).toEqual(['Keswick']);
    });

    it('is FORBIDDEN (naming name) to a caller who may not read store names; BAD_USER_INPUT for a blank one', async () => {
      expect(refusals(await actors.as(NAMES_ONLY, STORES_BY_NAME, { name: 'Leeds' }))).toMatchObject({ codes: ['FORBIDDEN'], fields: ['name'] });
      expect(refusals(await actors.as(CM, STORES_BY_NAME, { name: '' }))).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: ['name'] });
    });
  });

  describe('regions', () => {
    it('lists the caller’s chain’s regions with their stores, by name', async () => {
      const { regions } = await actors.ok<{ regions: { id: string; name: string; stores: { id: string; name: string }[] }[] }>(CM, REGIONS);
      expect(regions).toEqual([
        { id: demo.regions.North, name: 'North', stores: ['Harrogate', 'Leeds', 'York'].map((name) => ({ id: demo.stores[name], name })) },
        { id: demo.regions.South, name: 'South', stores: ['Bath', 'Bristol'].map((name) => ({ id: demo.stores[name], name })) },
      ]);
      const lakeside = await actors.ok<{ regions: { name: string; stores: { name: string }[] }[] }>(LAKESIDE, REGIONS);
      expect(lakeside.regions).toEqual([{ id: expect.any(String), name: 'Lakes', stores: [{ id: expect.any(String), name: 'Keswick' }] }]);
    });

    it('shows a store-confined reader only the region of their store, with only that store', async () => {
      const { regions } = await actors.ok<{ regions: unknown[] }>(YORK_REGION_READER, REGIONS);
      expect(regions).toEqual([{ id: demo.regions.North, name: 'North', stores: [{ id: demo.stores.York, name: 'York' }] }]);
    });

    it('is FORBIDDEN to a role without read Region, and field by field to a role without the field', async () => {
      const denied = await actors.as(RECEPTION, REGIONS);
      expect(refusals(denied)).toMatchObject({ codes: ['FORBIDDEN'], paths: ['regions'] });
      expect(denied.data).toBeNull();
      const idsOnly = await actors.as<{ regions: { id: string; name: string | null; stores: unknown }[] }>(REGION_IDS_ONLY, REGIONS);
      expect(idsOnly.data?.regions.map((r) => r.id).sort()).toEqual([demo.regions.North, demo.regions.South].sort());
      expect(idsOnly.data?.regions.every((r) => r.name === null && r.stores === null)).toBe(true);
      expect(new Set(refusals(idsOnly).codes)).toEqual(new Set(['FORBIDDEN']));
      expect(refusals(idsOnly).paths.map((p) => p.replace(/\.\d+\./, '.*.')).sort()).toEqual(['regions.*.name', 'regions.*.name', 'regions.*.stores', 'regions.*.stores']);
    });
  });

  describe('the migration for databases seeded before Region', () => {
    it('gives manage Region to each role manager role (not to others), once, and bumps their chains’ authz version', async () => {
      const managed = () => app.ownerCore.query(`SELECT r.name FROM role_permission p JOIN role r ON r.id = p.role_id
        WHERE p.subject = 'Region' AND p.action = 'manage' ORDER BY r.name`);
      await app.ownerCore.query(`DELETE FROM role_permission WHERE subject = 'Region' AND action = 'manage'`);
      const [{ v: before }]: { v: string }[] = await app.ownerCore.query('SELECT authz_version::text AS v FROM chain WHERE id = $1', [demo.chainId]);
      const runner = app.ownerCore.createQueryRunner();
      try {
        await new RegionsForRoleManagers1796170000000().up(runner);
        await new RegionsForRoleManagers1796170000000().up(runner);
      } finally {
        await runner.release();
      }
      // The two chains' "Chain manager" roles; the DPO and the others manage no roles.
      expect(await managed()).toEqual([{ name: 'Chain manager' }, { name: 'Chain manager' }]);
      const [{ v: after }]: { v: string }[] = await app.ownerCore.query('SELECT authz_version::text AS v FROM chain WHERE id = $1', [demo.chainId]);
      expect(Number(after)).toBe(Number(before) + 1);
      expect((await actors.ok<{ regions: unknown[] }>(CM, REGIONS)).regions).toHaveLength(2);
    });
  });
});
