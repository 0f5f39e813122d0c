/**
 * A derived value is governed by its source in the change log too: the change entry of a contact lens
 * specification lists `patientDateOfBirth` (a copy of Customer.dateOfBirth) only to callers who may read the
 * patient's date of birth; a reviewer without it sees the entry and its other changed fields, not that one.
 */
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const CHAIN_MANAGER = EMAIL.chainManager;
const OPTOMETRIST = EMAIL.leedsOptometrist;
const REVIEWER = EMAIL.leedsReception;
const DPO = EMAIL.dpo;
const LOG = `query($r: ID!) { dataChangeLog(recordId: $r) { edges { node { recordType changes { field after } } } } }`;

describe('derived values in the change log', () => {
  let app: TestApp;
  let specId: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    for (const email of [CHAIN_MANAGER, OPTOMETRIST, DPO]) tokens[email] = await app.login(email);
    const [leeds] = (await app.core.query("SELECT id FROM store WHERE name = 'Leeds'")) as { id: string }[];
    const child = await app.request<{ createCustomer: { id: string } }>(
      'mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }',
      { input: { firstName: 'Mia', lastName: 'Young', dateOfBirth: '2016-03-04', homeStoreId: leeds.id } }, tokens[CHAIN_MANAGER],
    );
    expect(child.errors).toBeUndefined();
    const spec = await app.request<{ issueContactLensSpecification: { id: string } }>(
      `mutation($c: ID!, $s: ID!) { issueContactLensSpecification(input: { customerId: $c, storeId: $s, expiresOn: "2027-06-01",
        rightBrand: "Acme", rightMaterial: "silicone hydrogel", rightBaseCurve: 8.6, rightDiameter: 14.2, rightPower: -2.0, replacement: MONTHLY }) { id } }`,
      { c: child.data!.createCustomer.id, s: leeds.id }, tokens[OPTOMETRIST],
    );
    expect(spec.errors).toBeUndefined();
    specId = spec.data!.issueContactLensSpecification.id;
    // a reviewer of the change log (every field of it) who may not read dates of birth
    const role = await app.request<{ createRole: { id: string } }>(
      'mutation { createRole(input: { name: "Change reviewer", permissions: [{ action: "read", subject: "DataChangeEntry" }] }) { id } }', {}, tokens[CHAIN_MANAGER]);
    const [{ id: reviewerId }] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [REVIEWER])) as { id: string }[];
    const assigned = await app.request('mutation($u: ID!, $r: ID!) { assignRole(input: { userId: $u, roleId: $r, scopeType: CHAIN }) { id } }',
      { u: reviewerId, r: role.data!.createRole.id }, tokens[CHAIN_MANAGER]);
    expect(assigned.errors).toBeUndefined();
    tokens[REVIEWER] = await app.login(REVIEWER);
  });
  afterAll(() => app.stop());

  const fieldsSeenBy = async (email: string) => {
    const result = await app.request<{ dataChangeLog: { edges: { node: { changes: { field: string; after: unknown }[] } }[] } }>(LOG, { r: specId }, tokens[email]);
    expect(result.errors).toBeUndefined();
    return result.data!.dataChangeLog.edges.flatMap((e) => e.node.changes);
  };

  it('shows the copy of the date of birth to a reviewer who may read dates of birth', async () => {
    const changes = await fieldsSeenBy(DPO);
    expect(changes.find((c) => c.field === 'patientDateOfBirth')?.after).toBe('2016-03-04');
  });

  it('withholds it, and only it, from a reviewer who may not', async () => {
    const changes = await fieldsSeenBy(REVIEWER);
    expect(changes.map((c) => c.field)).toContain('rightBrand');
    expect(changes.map((c) => c.field)).not.toContain('patientDateOfBirth');
    expect(JSON.stringify(changes)).not.toContain('2016-03-04');
  });
});
