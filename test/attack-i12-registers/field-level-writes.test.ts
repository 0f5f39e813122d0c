/**
 * Attack on field-level write permissions of the registers (issue 12, items 1, 7, 8): a role granted `update` on some
 * fields of a subject only must not change the others by a side door. Found with a custom role given chain-wide to
 * the Leeds optical assistant:
 * - `upsertProcessingActivity` replaces an entry whole (a field left out is cleared), but only the fields the input
 *   set were checked: leaving out `internationalTransfers` cleared it without `update` on that field;
 * - `updateBreach(affectedFromAccessLog)` wrote `affectedCustomers` (and the count's user and range) without
 *   `update` on those fields;
 * - `verifyDataRequestIdentity` on a request paused for IDENTITY resumed its clock (status, pausedAt, dueAt) with
 *   `update` on the identity fields only.
 * Each is FORBIDDEN now and writes nothing.
 */
import { errorCodes } from '../support/graphql-client';
import { EMAIL, signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
const ACTIVITY_FIELDS = ['name', 'purpose', 'lawfulBases', 'lawfulBasisNotes', 'specialCategoryCondition', 'dataCategories', 'dataSubjects', 'recipients',
  'internationalTransfers', 'retention', 'securityMeasures', 'controllerContact', 'dpoContact'];

describe('attack: field-level writes in the registers', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  let chainManager: SignedInClient;
  let limited: SignedInClient;
  let dpoId: string;
  const count = async (sql: string, params: unknown[] = []) => Number((await t.ownerCore.query(sql, params))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
    chainManager = await signIn(t, 'chainManager');
    dpoId = (await t.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.dpo]))[0].id;
    const role = await chainManager.request<{ createRole: { id: string } }>('mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', {
      input: {
        name: 'Register clerk (attack)', description: 'Some register fields only',
        permissions: [
          { action: 'read', subject: 'ProcessingActivity' },
          { action: 'update', subject: 'ProcessingActivity', fields: ACTIVITY_FIELDS.filter((f) => f !== 'internationalTransfers') },
          { action: 'read', subject: 'Breach' },
          { action: 'update', subject: 'Breach', fields: ['description', 'measures'] },
          { action: 'read', subject: 'AccessLogEntry' },
          { action: 'read', subject: 'DataRequest' },
          { action: 'update', subject: 'DataRequest', fields: ['identityVerifiedAt', 'identityVerifiedById', 'identityMethod'] },
        ],
      },
    });
    expect(role.errors).toBeUndefined();
    const [assistant] = await t.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.leedsAssistant]);
    const assigned = await chainManager.request('mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', {
      input: { userId: assistant.id, roleId: role.data!.createRole.id, scopeType: 'CHAIN' },
    });
    expect(assigned.errors).toBeUndefined();
    limited = await signIn(t, 'leedsAssistant');
  });
  afterAll(() => t.stop());

  it('upsertProcessingActivity cannot clear a field the caller may not update by leaving it out', async () => {
    const made = await dpo.request<{ upsertProcessingActivity: Record<string, unknown> & { id: string } }>(
      `mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id ${ACTIVITY_FIELDS.join(' ')} } }`, {
        input: {
          name: 'Attack probe: cloud backups', purpose: 'Backups of the customer database.', lawfulBases: ['LEGITIMATE_INTERESTS'],
          dataCategories: ['Identity', 'Contact details'], dataSubjects: ['Customers'], recipients: ['Backup provider'],
          internationalTransfers: 'To the USA under the EU-US Data Privacy Framework', retention: '30 days', securityMeasures: 'Encrypted at rest',
          controllerContact: 'Clearview Opticians', dpoContact: 'dpo@clearview.example',
        },
      });
    expect(made.errors).toBeUndefined();
    const entry = made.data!.upsertProcessingActivity;
    const { id, internationalTransfers: _kept, ...rest } = entry;
    const changes = await count('SELECT count(*)::int AS n FROM processing_activity_change WHERE processing_activity_id = $1', [id]);
    const res = await limited.request(`mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id internationalTransfers } }`,
      { input: { ...rest, id, purpose: 'Backups of the customer database (nightly).' } });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    const [row] = await t.ownerCore.query('SELECT international_transfers, purpose FROM processing_activity WHERE id = $1', [id]);
    expect(row).toEqual({ international_transfers: 'To the USA under the EU-US Data Privacy Framework', purpose: 'Backups of the customer database.' });
    expect(await count('SELECT count(*)::int AS n FROM processing_activity_change WHERE processing_activity_id = $1', [id])).toBe(changes);
    // What the role may do still works: changing a field it holds, giving the rest as they are.
    const allowed = await limited.request(`mutation($input: UpsertProcessingActivityInput!) { upsertProcessingActivity(input: $input) { id purpose } }`,
      { input: { ...rest, id, internationalTransfers: entry.internationalTransfers, purpose: 'Backups of the customer database (nightly).' } });
    expect(allowed.errors).toBeUndefined();
  });

  it('updateBreach(affectedFromAccessLog) needs update on affectedCustomers and the count’s fields', async () => {
    const made = await dpo.request<{ recordBreach: { id: string } }>('mutation($input: RecordBreachInput!) { recordBreach(input: $input) { id } }', {
      input: { discoveredAt: new Date(Date.now() - HOUR).toISOString(), description: 'Attack probe.', dataCategories: ['Contact details'], affectedCustomers: 7, risk: 'RISK', riskAssessment: 'Probe.' },
    });
    expect(made.errors).toBeUndefined();
    const id = made.data!.recordBreach.id;
    const res = await limited.request('mutation($id: ID!, $input: UpdateBreachInput!) { updateBreach(id: $id, input: $input) { id affectedCustomers } }', {
      id, input: { affectedFromAccessLog: { userId: dpoId, from: new Date(Date.now() - 30 * 86400_000).toISOString(), to: new Date().toISOString() } },
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    const [row] = await t.ownerCore.query('SELECT affected_customers, affected_count_user_id FROM breach WHERE id = $1', [id]);
    expect(row).toEqual({ affected_customers: 7, affected_count_user_id: null });
    expect(await count('SELECT count(*)::int AS n FROM breach_event WHERE breach_id = $1', [id])).toBe(1);
  });

  it('verifyDataRequestIdentity cannot restart a stopped clock for a caller who may not update the clock', async () => {
    const customerId = (await t.ownerCore.query(`SELECT c.id::text AS id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Bath' AND c.status = 'ACTIVE' ORDER BY c.id LIMIT 1`))[0].id;
    const made = await dpo.request<{ createDataRequest: { id: string } }>('mutation($input: CreateDataRequestInput!) { createDataRequest(input: $input) { id } }', {
      input: { customerId, type: 'ACCESS', receivedAt: new Date(Date.now() - HOUR).toISOString(), channel: 'EMAIL' },
    });
    expect(made.errors).toBeUndefined();
    const id = made.data!.createDataRequest.id;
    expect((await dpo.request('mutation($id: ID!) { pauseDataRequest(id: $id, reason: IDENTITY) { status } }', { id })).errors).toBeUndefined();
    const before = await t.ownerCore.query('SELECT status, paused_at, due_at, identity_verified_at FROM data_request WHERE id = $1', [id]);
    const events = await count('SELECT count(*)::int AS n FROM data_request_event WHERE data_request_id = $1', [id]);
    const res = await limited.request('mutation($id: ID!) { verifyDataRequestIdentity(id: $id, method: "Passport") { status } }', { id });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await t.ownerCore.query('SELECT status, paused_at, due_at, identity_verified_at FROM data_request WHERE id = $1', [id])).toEqual(before);
    expect(await count('SELECT count(*)::int AS n FROM data_request_event WHERE data_request_id = $1', [id])).toBe(events);
  });
});
