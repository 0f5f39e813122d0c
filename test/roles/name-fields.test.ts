/**
 * Names next to ids (issue 10, item 8): role assignments, role changes, access log entries, data change
 * entries and security events show userName / userEmail / roleName / storeName / regionName (role changes:
 * actorName / actorEmail) beside the ids, through the real API with real sessions. Each name is governed like
 * its source: it needs its own catalog rule AND read on the source field of the row the id names (an
 * assignment's userEmail is readable only where that user's User.email is), else it is null with FORBIDDEN
 * while the id beside it still resolves. The oracles are the demo seed's people and stores.
 */
import { Actors, CM, Demo, DPO, OPTOMETRIST, RECEPTION, LOCUM, NORTH, refusals } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const ASSIGNMENTS_OF_ROLE = `query($id: ID!) { role(id: $id) { assignments {
  userId userName userEmail roleId roleName scopeType storeId storeName regionId regionName } } }`;
const ROLE_CHANGES = '{ roleChanges(first: 5) { id action actorId actorName actorEmail roleId roleName } }';
const ACCESS_LOG = '{ clinicalAccessLog(first: 50) { edges { node { userId userName userEmail storeId storeName } } } }';
const CHANGE_LOG = '{ dataChangeLog(first: 50) { edges { node { userId userName userEmail storeId storeName } } } }';
/** The access log entries of one user (a filter: the reviewers' own reads, and the seeded scenario's, are many). */
const accessLogOf = (userId: string): string => `{ clinicalAccessLog(first: 50, userId: "${userId}") { edges { node { userId userName userEmail storeId storeName } } } }`;
const SECURITY_EVENTS = '{ securityEvents(first: 50) { edges { node { userId userName userEmail } } } }';

interface AssignmentNames {
  userId: string; userName: string | null; userEmail: string | null; roleId: string; roleName: string | null; scopeType: string;
  storeId: string | null; storeName: string | null; regionId: string | null; regionName: string | null;
}
type Node = Record<string, string | null>;
const nodes = (data: unknown, list: string): Node[] =>
  ((data as Record<string, { edges: { node: Node }[] } | null> | null)?.[list]?.edges ?? []).map((e) => e.node);
/** The refused fields of an answer, with list indexes collapsed ("role.assignments.*.userEmail"). */
const refusedPaths = (result: Parameters<typeof refusals>[0]): string[] =>
  [...new Set(refusals(result).paths.map((p) => p.replace(/\.\d+(\.|$)/g, '.*$1')))].sort();

describe('names next to ids', () => {
  let app: TestApp;
  let actors: Actors;
  let demo: Demo;
  let roles: Record<string, string>;
  const NO_USERS = 'no.users@clearview.example';
  const NAMES_NOT_EMAILS = 'names.not.emails@clearview.example';
  const NO_EMAIL_FIELD = 'no.email.field@clearview.example';
  const LOG_ONLY = 'log.only@clearview.example';

  beforeAll(async () => {
    app = await startTestApp({ anomalyCheckIntervalSeconds: 86_400 });
    actors = new Actors(app);
    demo = await actors.demo();
    roles = Object.fromEntries(((await app.ownerCore.query('SELECT id, name FROM role WHERE chain_id = $1', [demo.chainId])) as { id: string; name: string }[]).map((r) => [r.name, r.id]));
    // Assignments and roles, but no staff records or stores.
    await actors.giveRole(await actors.makeStaff(NO_USERS, 'Noel Nousers'), 'Assignments without staff', [
      { action: 'read', subject: 'Role' }, { action: 'read', subject: 'RoleAssignment' }, { action: 'read', subject: 'RoleChange' },
    ]);
    // Staff names but not their emails; everything of assignments, roles and the logs.
    await actors.giveRole(await actors.makeStaff(NAMES_NOT_EMAILS, 'Nora Names'), 'Names, not emails', [
      { action: 'read', subject: 'Role' }, { action: 'read', subject: 'RoleAssignment' }, { action: 'read', subject: 'RoleChange' },
      { action: 'read', subject: 'User', fields: ['id', 'name'] }, { action: 'read', subject: 'Store' }, { action: 'read', subject: 'Region' },
      { action: 'read', subject: 'AccessLogEntry' }, { action: 'read', subject: 'DataChangeEntry', fields: ['id', 'occurredAt', 'userId', 'storeId', 'userName', 'userEmail', 'storeName'] },
      { action: 'read', subject: 'SecurityEvent' },
    ]);
    // Every staff field, but assignments without their userEmail field.
    const assignmentFields = ['id', 'userId', 'roleId', 'scopeType', 'storeId', 'regionId', 'userName', 'roleName', 'storeName', 'regionName'];
    await actors.giveRole(await actors.makeStaff(NO_EMAIL_FIELD, 'Ned Nofield'), 'Assignments without userEmail', [
      { action: 'read', subject: 'Role' }, { action: 'read', subject: 'RoleAssignment', fields: assignmentFields },
      { action: 'read', subject: 'User' }, { action: 'read', subject: 'Store' }, { action: 'read', subject: 'Region' },
    ]);
    // The review lists alone: no staff, no stores.
    await actors.giveRole(await actors.makeStaff(LOG_ONLY, 'Lola Logs'), 'Review lists only', [
      { action: 'read', subject: 'AccessLogEntry' }, { action: 'read', subject: 'DataChangeEntry' }, { action: 'read', subject: 'SecurityEvent' },
    ]);

    // Something in each log: a clinical read by the Leeds optometrist, a phone change by the Leeds receptionist,
    // a weakened audit setting by the chain manager (a SETTING_WEAKENED event about her).
    const [{ id: customer }]: { id: string }[] = await app.ownerCore.query(
      `SELECT id FROM customer WHERE home_store_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT 1`, [demo.stores.Leeds]);
    await actors.ok(OPTOMETRIST, 'query($id: ID!) { customer(id: $id) { examinations { id examinedAt } } }', { id: customer });
    await actors.ok(RECEPTION, 'mutation($id: ID!) { updateCustomer(id: $id, input: { phone: "07700 900123" }) { id } }', { id: customer });
    const { auditSettings } = await actors.ok<{ auditSettings: { anomalyDistinctCustomers: number } }>(CM, '{ auditSettings { anomalyDistinctCustomers } }');
    await actors.ok(CM, 'mutation($n: Int!) { updateAuditSettings(input: { anomalyDistinctCustomers: $n }) { anomalyDistinctCustomers } }', { n: auditSettings.anomalyDistinctCustomers + 10 });
  });
  afterAll(() => app?.stop());

  describe('role assignments', () => {
    it('show the user’s name and email, the role’s name and the store’s or region’s name', async () => {
      const receptionists = (await actors.ok<{ role: { assignments: AssignmentNames[] } }>(CM, ASSIGNMENTS_OF_ROLE, { id: roles.Receptionist })).role.assignments;
      expect(receptionists.map(({ userName, userEmail, roleName, scopeType, storeName, regionName }) => ({ userName, userEmail, roleName, scopeType, storeName, regionName }))
        .sort((a, b) => String(a.storeName).localeCompare(String(b.storeName)))).toEqual([
        { userName: 'Lucy Marsh', userEmail: LOCUM, roleName: 'Receptionist', scopeType: 'STORE', storeName: 'Bath', regionName: null },
        { userName: 'Rita Okafor', userEmail: RECEPTION, roleName: 'Receptionist', scopeType: 'STORE', storeName: 'Leeds', regionName: null },
      ]);
      for (const a of receptionists) expect(a.storeId).toBe(a.storeName === 'Bath' ? demo.stores.Bath : demo.stores.Leeds);
      const regional = (await actors.ok<{ role: { assignments: AssignmentNames[] } }>(CM, ASSIGNMENTS_OF_ROLE, { id: roles['Regional manager'] })).role.assignments;
      expect(regional).toEqual([expect.objectContaining({
        userId: demo.users[NORTH], userName: 'Nathan Price', userEmail: NORTH, scopeType: 'REGION', regionId: demo.regions.North, regionName: 'North', storeName: null,
      })]);
    });

    it('refuse the user’s names to a caller who may not read staff, the store name to one who may not read stores', async () => {
      const result = await actors.as<{ role: { assignments: AssignmentNames[] } }>(NO_USERS, ASSIGNMENTS_OF_ROLE, { id: roles.Receptionist });
      expect(new Set(refusals(result).codes)).toEqual(new Set(['FORBIDDEN']));
      expect(refusedPaths(result)).toEqual(['role.assignments.*.storeName', 'role.assignments.*.userEmail', 'role.assignments.*.userName']);
      for (const a of result.data!.role.assignments) {
        expect(a).toMatchObject({ userName: null, userEmail: null, storeName: null, roleName: 'Receptionist' });
        expect([demo.users[RECEPTION], demo.users[LOCUM]]).toContain(a.userId);
      }
    });

    it('give userEmail only where User.email of that user is readable: names yes, emails no', async () => {
      const result = await actors.as<{ role: { assignments: AssignmentNames[] } }>(NAMES_NOT_EMAILS, ASSIGNMENTS_OF_ROLE, { id: roles['Regional manager'] });
      expect(refusedPaths(result)).toEqual(['role.assignments.*.userEmail']);
      expect(result.data!.role.assignments).toEqual([expect.objectContaining({ userName: 'Nathan Price', userEmail: null, regionName: 'North' })]);
    });

    it('refuse userEmail to a role without the field, even where the user’s email is readable', async () => {
      const result = await actors.as<{ role: { assignments: AssignmentNames[] } }>(NO_EMAIL_FIELD, ASSIGNMENTS_OF_ROLE, { id: roles['Regional manager'] });
      expect(refusedPaths(result)).toEqual(['role.assignments.*.userEmail']);
      expect(result.data!.role.assignments[0]).toMatchObject({ userName: 'Nathan Price', userEmail: null, roleName: 'Regional manager', regionName: 'North' });
      // …and the email itself, read on the user, is readable to them.
      const { users } = await actors.ok<{ users: { email: string }[] }>(NO_EMAIL_FIELD, 'query($e: String) { users(email: $e) { email } }', { e: NORTH });
      expect(users).toEqual([{ email: NORTH }]);
    });

    it('refuse regionName to the DPO, who reads assignments but not regions; a store assignment’s null regionName is no refusal', async () => {
      const regional = await actors.as<{ role: { assignments: AssignmentNames[] } }>(DPO, ASSIGNMENTS_OF_ROLE, { id: roles['Regional manager'] });
      expect(refusedPaths(regional)).toEqual(['role.assignments.*.regionName']);
      expect(regional.data!.role.assignments[0]).toMatchObject({ userEmail: NORTH, regionId: demo.regions.North, regionName: null });
      const store = await actors.as<{ role: { assignments: AssignmentNames[] } }>(DPO, ASSIGNMENTS_OF_ROLE, { id: roles.Receptionist });
      expect(store.errors).toBeUndefined();
      expect(store.data!.role.assignments.map((a) => a.regionName)).toEqual([null, null]);
    });
  });

  describe('role changes', () => {
    it('show who made the change and the role’s name; once the role is deleted its name is null, not refused', async () => {
      const { createRole } = await actors.ok<{ createRole: { id: string } }>(CM, 'mutation { createRole(input: { name: "Short-lived", description: "", permissions: [] }) { id } }');
      let changes = (await actors.ok<{ roleChanges: Node[] }>(CM, ROLE_CHANGES)).roleChanges;
      expect(changes[0]).toMatchObject({ action: 'ROLE_CREATED', actorId: demo.users[CM], actorName: 'Catherine Hale', actorEmail: CM, roleId: createRole.id, roleName: 'Short-lived' });
      await actors.ok(CM, 'mutation($id: ID!) { deleteRole(id: $id) }', { id: createRole.id });
      changes = (await actors.ok<{ roleChanges: Node[] }>(CM, ROLE_CHANGES)).roleChanges;
      expect(changes.slice(0, 2).map((c) => [c.action, c.roleId, c.roleName, c.actorName])).toEqual([
        ['ROLE_DELETED', createRole.id, null, 'Catherine Hale'], ['ROLE_CREATED', createRole.id, null, 'Catherine Hale'],
      ]);
    });

    it('refuse actorName and actorEmail to a caller who may not read staff, actorEmail to one who reads only names', async () => {
      const noUsers = await actors.as<{ roleChanges: Node[] }>(NO_USERS, ROLE_CHANGES);
      expect(refusedPaths(noUsers)).toEqual(['roleChanges.*.actorEmail', 'roleChanges.*.actorName']);
      expect(noUsers.data!.roleChanges[0]).toMatchObject({ actorId: demo.users[CM], actorName: null, actorEmail: null });
      const namesOnly = await actors.as<{ roleChanges: Node[] }>(NAMES_NOT_EMAILS, ROLE_CHANGES);
      expect(refusedPaths(namesOnly)).toEqual(['roleChanges.*.actorEmail']);
      expect(namesOnly.data!.roleChanges[0]).toMatchObject({ actorName: 'Catherine Hale', actorEmail: null });
    });
  });

  describe('review lists', () => {
    it('the access log shows who read and at which store, by name', async () => {
      const entries = nodes((await actors.ok(DPO, ACCESS_LOG)), 'clinicalAccessLog').filter((e) => e.userId === demo.users[OPTOMETRIST]);
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(e).toEqual({ userId: demo.users[OPTOMETRIST], userName: 'Dr Omar Rahman', userEmail: OPTOMETRIST, storeId: demo.stores.Leeds, storeName: 'Leeds' });
    });

    it('the data change log shows who changed and at which store, by name', async () => {
      // (The demo seed's own changes, by other staff, are listed too: docs/dpo.md.)
      const entries = nodes((await actors.ok(DPO, CHANGE_LOG)), 'dataChangeLog').filter((e) => e.userId === demo.users[RECEPTION]);
      expect(entries).toEqual([{ userId: demo.users[RECEPTION], userName: 'Rita Okafor', userEmail: RECEPTION, storeId: demo.stores.Leeds, storeName: 'Leeds' }]);
    });

    it('security events show whose use of data raised them, by name', async () => {
      // (The demo seed's open event about the regional manager is listed too: docs/dpo.md.)
      const events = nodes((await actors.ok(DPO, SECURITY_EVENTS)), 'securityEvents').filter((e) => e.userId === demo.users[CM]);
      expect(events).toEqual([{ userId: demo.users[CM], userName: 'Catherine Hale', userEmail: CM }]);
    });

    it('refuse every name to a caller who reads the lists but neither staff nor stores; the ids still resolve', async () => {
      const log = await actors.as(LOG_ONLY, ACCESS_LOG);
      expect(refusedPaths(log)).toEqual(['clinicalAccessLog.edges.*.node.storeName', 'clinicalAccessLog.edges.*.node.userEmail', 'clinicalAccessLog.edges.*.node.userName']);
      // (Reading the access log is itself logged: the optometrist's read is one entry among the reviewers'.)
      expect(nodes((await actors.as(LOG_ONLY, accessLogOf(demo.users[OPTOMETRIST]))).data, 'clinicalAccessLog')[0])
        .toEqual({ userId: demo.users[OPTOMETRIST], userName: null, userEmail: null, storeId: demo.stores.Leeds, storeName: null });
      const changes = await actors.as(LOG_ONLY, CHANGE_LOG);
      expect(refusedPaths(changes)).toEqual(['dataChangeLog.edges.*.node.storeName', 'dataChangeLog.edges.*.node.userEmail', 'dataChangeLog.edges.*.node.userName']);
      expect(nodes(changes.data, 'dataChangeLog')[0]).toMatchObject({ userId: demo.users[RECEPTION], userName: null, storeId: demo.stores.Leeds });
      const events = await actors.as(LOG_ONLY, SECURITY_EVENTS);
      expect(refusedPaths(events)).toEqual(['securityEvents.edges.*.node.userEmail', 'securityEvents.edges.*.node.userName']);
      expect(nodes(events.data, 'securityEvents')[0]).toEqual({ userId: demo.users[CM], userName: null, userEmail: null });
    });

    it('give names but not emails to a caller who reads staff names only', async () => {
      const log = await actors.as(NAMES_NOT_EMAILS, ACCESS_LOG);
      expect(refusedPaths(log)).toEqual(['clinicalAccessLog.edges.*.node.userEmail']);
      expect(nodes((await actors.as(NAMES_NOT_EMAILS, accessLogOf(demo.users[OPTOMETRIST]))).data, 'clinicalAccessLog')[0]).toMatchObject({ userName: 'Dr Omar Rahman', userEmail: null, storeName: 'Leeds' });
      const changes = await actors.as(NAMES_NOT_EMAILS, CHANGE_LOG);
      expect(refusedPaths(changes)).toEqual(['dataChangeLog.edges.*.node.userEmail']);
      const events = await actors.as(NAMES_NOT_EMAILS, SECURITY_EVENTS);
      expect(refusedPaths(events)).toEqual(['securityEvents.edges.*.node.userEmail']);
      expect(nodes(events.data, 'securityEvents')[0]).toMatchObject({ userName: 'Catherine Hale', userEmail: null });
    });
  });
});
