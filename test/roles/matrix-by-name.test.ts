/**
 * `explain` and `effectivePermissions` by a user's email and a store's name (issue 10, item 8), through the
 * real API: the same answers as by ids; exactly one of userId/userEmail and of storeId/storeName
 * (BAD_USER_INPUT naming the argument otherwise); a name nobody visible has is NOT_FOUND, exactly as an
 * unknown id, and a name never reaches a user or store the caller may not see.
 */
import { randomUUID } from 'node:crypto';
import { Actors, CM, Demo, LAKESIDE, LOCUM, RECEPTION, refusals } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const EXPLAIN = `query($userId: ID, $userEmail: String, $storeId: ID, $storeName: String) {
  explain(userId: $userId, userEmail: $userEmail, storeId: $storeId, storeName: $storeName, action: "read", subject: "Customer", field: "dateOfBirth") {
    granted reason assignment { id } } }`;
const EFFECTIVE = `query($userId: ID, $userEmail: String, $storeId: ID, $storeName: String) {
  effectivePermissions(userId: $userId, userEmail: $userEmail, storeId: $storeId, storeName: $storeName) { subject action field } }`;

type Args = { userId?: string; userEmail?: string; storeId?: string; storeName?: string };
interface Permission { subject: string; action: string; field: string | null }

describe('explain and effectivePermissions by email and store name', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  const LEEDS_VIEWER = 'leeds.viewer@clearview.example';

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    demo = await actors.demo();
    // May look at who holds what at Leeds (roles, assignments, stores there; staff records only through names).
    await actors.giveRole(await actors.makeStaff(LEEDS_VIEWER, 'Vera Viewer'), 'Leeds matrix viewer', [
      { action: 'read', subject: 'Role' }, { action: 'read', subject: 'RoleAssignment' }, { action: 'read', subject: 'Store' },
      { action: 'read', subject: 'User', fields: ['id', 'name'] },
    ], { scopeType: 'STORE', storeId: demo.stores.Leeds });
  });
  afterAll(() => app?.stop());

  const explainAs = (email: string, args: Args) => actors.as<{ explain: { granted: boolean; reason: string } | null }>(email, EXPLAIN, args);
  const effectiveAs = (email: string, args: Args) => actors.as<{ effectivePermissions: Permission[] | null }>(email, EFFECTIVE, args);

  it('explain: the receptionist may not read a date of birth at Leeds, asked by email and store name, as by ids', async () => {
    const byIds = await explainAs(CM, { userId: demo.users[RECEPTION], storeId: demo.stores.Leeds });
    const byNames = await explainAs(CM, { userEmail: 'Leeds.Reception@clearview.example', storeName: 'leeds' });
    expect(byNames.errors).toBeUndefined();
    expect(byNames.data!.explain).toMatchObject({ granted: false, assignment: null });
    expect(byNames.data!.explain!.reason).toMatch(/Rita Okafor.*Leeds/);
    expect(byNames.data).toEqual(byIds.data);
    // Mixed: an id for one, a name for the other.
    expect((await explainAs(CM, { userId: demo.users[RECEPTION], storeName: 'Leeds' })).data).toEqual(byIds.data);
    expect((await explainAs(CM, { userEmail: RECEPTION, storeId: demo.stores.Leeds })).data).toEqual(byIds.data);
  });

  it('effectivePermissions: the locum’s clinical reads at York and not at Bath, by email and store name, as by ids', async () => {
    const york = await effectiveAs(CM, { userEmail: LOCUM, storeName: 'York' });
    expect(york.errors).toBeUndefined();
    expect(york.data!.effectivePermissions).toContainEqual({ subject: 'Examination', action: 'read', field: 'refractions' });
    expect(york.data).toEqual((await effectiveAs(CM, { userId: demo.users[LOCUM], storeId: demo.stores.York })).data);
    const bath = await effectiveAs(CM, { userEmail: LOCUM, storeName: 'Bath' });
    expect(bath.data!.effectivePermissions!.some((p) => p.subject === 'Examination')).toBe(false);
    expect(bath.data!.effectivePermissions).toContainEqual({ subject: 'Customer', action: 'read', field: 'phone' });
  });

  it.each([
    ['both userId and userEmail', { userId: 'U', userEmail: RECEPTION, storeName: 'Leeds' }, 'userEmail'],
    ['neither userId nor userEmail', { storeName: 'Leeds' }, 'userId'],
    ['both storeId and storeName', { userEmail: RECEPTION, storeId: 'S', storeName: 'Leeds' }, 'storeName'],
    ['neither storeId nor storeName', { userEmail: RECEPTION }, 'storeId'],
    ['a blank email', { userEmail: ' ', storeName: 'Leeds' }, 'userEmail'],
    ['a blank store name', { userEmail: RECEPTION, storeName: '' }, 'storeName'],
  ] as [string, Args, string][])('%s is BAD_USER_INPUT naming the argument, for explain and effectivePermissions', async (_name, template, field) => {
    const args = Object.fromEntries(Object.entries(template).map(([k, v]) => [k, v === 'U' ? demo.users[RECEPTION] : v === 'S' ? demo.stores.Leeds : v]));
    for (const result of [await explainAs(CM, args), await effectiveAs(CM, args)]) {
      expect(refusals(result)).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: [field] });
    }
  });

  it('an unknown email or store name, another chain’s, is NOT_FOUND with the message an unknown id gets', async () => {
    const unknownUser = await explainAs(CM, { userId: randomUUID(), storeName: 'Leeds' });
    const unknownStore = await explainAs(CM, { userEmail: RECEPTION, storeId: randomUUID() });
    for (const args of [{ userEmail: 'nobody@clearview.example', storeName: 'Leeds' }, { userEmail: LAKESIDE, storeName: 'Leeds' }]) {
      const result = await explainAs(CM, args);
      expect(refusals(result).codes).toEqual(['NOT_FOUND']);
      expect(result.errors![0].message).toBe(unknownUser.errors![0].message);
    }
    for (const args of [{ userEmail: RECEPTION, storeName: 'Lee' }, { userEmail: RECEPTION, storeName: 'Keswick' }]) {
      const result = await effectiveAs(CM, args);
      expect(refusals(result).codes).toEqual(['NOT_FOUND']);
      expect(result.errors![0].message).toBe(unknownStore.errors![0].message);
    }
  });

  it('a name reaches only users whose email and stores whose name the caller may read', async () => {
    // The Leeds viewer may not read the receptionist's staff record, so her email finds no one; her id still works, as before.
    expect(refusals(await explainAs(LEEDS_VIEWER, { userEmail: RECEPTION, storeName: 'Leeds' })).codes).toEqual(['NOT_FOUND']);
    const byId = await explainAs(LEEDS_VIEWER, { userId: demo.users[RECEPTION], storeName: 'Leeds' });
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.explain!.granted).toBe(false);
    // Their own email they may read (everyone reads their own staff record).
    expect((await explainAs(LEEDS_VIEWER, { userEmail: LEEDS_VIEWER, storeName: 'Leeds' })).errors).toBeUndefined();
    // York is not theirs to see: by name as by id, NOT_FOUND with the same message.
    const byName = await explainAs(LEEDS_VIEWER, { userId: demo.users[RECEPTION], storeName: 'York' });
    const byStoreId = await explainAs(LEEDS_VIEWER, { userId: demo.users[RECEPTION], storeId: demo.stores.York });
    expect(refusals(byName).codes).toEqual(['NOT_FOUND']);
    expect(byName.errors![0].message).toBe(byStoreId.errors![0].message);
    // Another chain's manager finds neither Clearview's staff nor its stores.
    expect(refusals(await effectiveAs(LAKESIDE, { userEmail: RECEPTION, storeName: 'Keswick' })).codes).toEqual(['NOT_FOUND']);
    expect(refusals(await effectiveAs(LAKESIDE, { userEmail: LAKESIDE, storeName: 'Leeds' })).codes).toEqual(['NOT_FOUND']);
  });

  it('is FORBIDDEN, by name as by id, to a role without read Role', async () => {
    for (const result of [await explainAs(RECEPTION, { userEmail: RECEPTION, storeName: 'Leeds' }), await effectiveAs(RECEPTION, { userEmail: RECEPTION, storeName: 'Leeds' })]) {
      expect(refusals(result).codes).toEqual(['FORBIDDEN']);
    }
  });
});
