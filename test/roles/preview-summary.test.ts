/**
 * previewRoleChangeSummary (issue 10, item 8): the dry run of a role change summarised per subject, beside
 * previewRoleChange's per-permission list (unchanged), through the real API. Two holders of a small role at
 * Leeds and at York; replacing its entries must show, per subject, the (action, field) pairs gained and lost,
 * the row counts of the list, and who and where; it saves nothing, is FORBIDDEN without update Role and
 * checks its input like previewRoleChange.
 */
import { randomUUID } from 'node:crypto';
import { Actors, CM, Demo, DPO, refusals } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const SUMMARY = `query($id: ID!, $input: UpdateRoleInput!) { previewRoleChangeSummary(id: $id, input: $input) {
  subject fieldsGained fieldsLost gained lost permissionsGained permissionsLost users { name email } stores { name } } }`;
const PREVIEW = `query($id: ID!, $input: UpdateRoleInput!) { previewRoleChange(id: $id, input: $input) { user { email } store { name } subject action field change } }`;

/** The catalog's fields of an appointment and of a store (the domain, as documented in the permission catalog). */
const APPOINTMENT_FIELDS = ['id', 'storeId', 'customerId', 'practitionerId', 'type', 'startsAt', 'endsAt', 'status', 'cancellationReason', 'createdAt'];
// Store's catalog fields (issue 13 added address and open).
const STORE_FIELDS = ['id', 'name', 'city', 'phone', 'regionId', 'address', 'open'];

interface Summary {
  subject: string; fieldsGained: number; fieldsLost: number; gained: number; lost: number;
  permissionsGained: string[]; permissionsLost: string[]; users: { name: string; email: string }[]; stores: { name: string }[];
}

describe('previewRoleChangeSummary', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  let roleId: string;
  const A = 'holder.a@clearview.example';
  const B = 'holder.b@clearview.example';
  const proposed = {
    permissions: [
      { action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'lastName', 'dateOfBirth'] },
      { action: 'read', subject: 'Store' },
    ],
  };

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    demo = await actors.demo();
    const a = await actors.makeStaff(A, 'Alma Archer');
    const b = await actors.makeStaff(B, 'Bruno Baines');
    ({ roleId } = await actors.giveRole(a, 'Front desk (trial)', [
      { action: 'read', subject: 'Customer', fields: ['id', 'firstName'] }, { action: 'read', subject: 'Appointment' },
    ], { scopeType: 'STORE', storeId: demo.stores.Leeds }));
    await actors.ok(CM, 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }',
      { input: { userId: b, roleId, scopeType: 'STORE', storeId: demo.stores.York } });
  });
  afterAll(() => app?.stop());

  it('sums the change per subject: pairs gained and lost, rows, holders and stores', async () => {
    const { previewRoleChangeSummary } = await actors.ok<{ previewRoleChangeSummary: Summary[] }>(CM, SUMMARY, { id: roleId, input: proposed });
    const holders = [{ name: 'Alma Archer', email: A }, { name: 'Bruno Baines', email: B }];
    const stores = [{ name: 'Leeds' }, { name: 'York' }];
    expect(previewRoleChangeSummary).toEqual([
      {
        subject: 'Appointment', fieldsGained: 0, fieldsLost: APPOINTMENT_FIELDS.length, gained: 0, lost: 2 * APPOINTMENT_FIELDS.length,
        permissionsGained: [], permissionsLost: APPOINTMENT_FIELDS.map((f) => `read ${f}`).sort(), users: holders, stores,
      },
      { subject: 'Customer', fieldsGained: 2, fieldsLost: 0, gained: 4, lost: 0, permissionsGained: ['read dateOfBirth', 'read lastName'], permissionsLost: [], users: holders, stores },
      {
        subject: 'Store', fieldsGained: STORE_FIELDS.length, fieldsLost: 0, gained: 2 * STORE_FIELDS.length, lost: 0,
        permissionsGained: STORE_FIELDS.map((f) => `read ${f}`).sort(), permissionsLost: [], users: holders, stores,
      },
    ]);
  });

  it('agrees with previewRoleChange’s list, which is unchanged', async () => {
    const { previewRoleChange } = await actors.ok<{ previewRoleChange: { user: { email: string }; store: { name: string }; subject: string; change: string }[] }>(CM, PREVIEW, { id: roleId, input: proposed });
    const { previewRoleChangeSummary } = await actors.ok<{ previewRoleChangeSummary: Summary[] }>(CM, SUMMARY, { id: roleId, input: proposed });
    for (const summary of previewRoleChangeSummary) {
      const rows = previewRoleChange.filter((r) => r.subject === summary.subject);
      expect([summary.gained, summary.lost]).toEqual([rows.filter((r) => r.change === 'GAINED').length, rows.filter((r) => r.change === 'LOST').length]);
    }
    expect(previewRoleChange.length).toBe(previewRoleChangeSummary.reduce((n, s) => n + s.gained + s.lost, 0));
  });

  it('saves nothing, and answers [] when the entries would not change', async () => {
    await actors.ok(CM, SUMMARY, { id: roleId, input: proposed });
    const { role } = await actors.ok<{ role: { permissions: { subject: string }[] } }>(CM, 'query($id: ID!) { role(id: $id) { permissions { subject } } }', { id: roleId });
    expect(role.permissions.map((p) => p.subject).sort()).toEqual(['Appointment', 'Customer']);
    const same = { permissions: [{ action: 'read', subject: 'Customer', fields: ['id', 'firstName'] }, { action: 'read', subject: 'Appointment' }] };
    expect((await actors.ok<{ previewRoleChangeSummary: Summary[] }>(CM, SUMMARY, { id: roleId, input: same })).previewRoleChangeSummary).toEqual([]);
  });

  it('is FORBIDDEN without update Role (the DPO reads roles but may not change them)', async () => {
    const result = await actors.as(DPO, SUMMARY, { id: roleId, input: proposed });
    expect(refusals(result)).toMatchObject({ codes: ['FORBIDDEN'], paths: ['previewRoleChangeSummary'] });
  });

  it('checks its input like previewRoleChange: entries against the catalog, the role by id', async () => {
    const bad = { permissions: [{ action: 'read', subject: 'Customers' }] };
    expect(refusals(await actors.as(CM, SUMMARY, { id: roleId, input: bad }))).toMatchObject({ codes: ['BAD_USER_INPUT'], fields: ['input.permissions[0].subject'] });
    expect(refusals(await actors.as(CM, SUMMARY, { id: randomUUID(), input: proposed })).codes).toEqual(['NOT_FOUND']);
  });
});
