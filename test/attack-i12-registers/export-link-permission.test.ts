/**
 * Attack on linking a customer data export to a request of the register (issue 12, items 1-2): a LINKED_EXPORT event
 * is a write to the request's history, and the catalog gives DataRequest's `export` action exactly that meaning
 * ("reserved for the customer data export linked to a request"). Found with a copy of the demo DPO's role without
 * `export DataRequest`, held chain-wide by the Leeds optical assistant: `GET /exports/customers/{id}?dataRequestId=`
 * was answered and appended LINKED_EXPORT to the request's history on `read DataRequest` alone. Linking now needs
 * `export` on DataRequest at the request's store (403, nothing linked); without `dataRequestId` the export is as before.
 */
import { EMAIL, signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, makeDataRequest, richLeedsCustomer } from '../customer-export/export-support';

interface Entry { action: string; subject: string; fields: string[] | null }

describe('attack: linking an export to a request needs export DataRequest', () => {
  let t: TestApp;
  let limited: SignedInClient;
  let dpo: SignedInClient;
  beforeAll(async () => {
    t = await startTestApp();
    const chainManager = await signIn(t, 'chainManager');
    dpo = await signIn(t, 'dpo');
    const roles = await chainManager.request<{ roles: { name: string; permissions: Entry[] }[] }>('{ roles { name permissions { action subject fields } } }');
    const dpoRole = roles.data!.roles.find((r) => r.name === 'Data protection officer')!;
    const permissions = dpoRole.permissions.filter((p) => !(p.subject === 'DataRequest' && p.action === 'export'))
      .map((p) => ({ action: p.action, subject: p.subject, ...(p.fields ? { fields: p.fields } : {}) }));
    const role = await chainManager.request<{ createRole: { id: string } }>('mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }', {
      input: { name: 'DPO without request exports (attack)', description: 'The DPO role less export DataRequest', permissions },
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

  it('refuses the linked export (403) and appends nothing to the request; the DPO may link it', async () => {
    const customer = await richLeedsCustomer(t);
    const [{ id: dpoId }] = await t.ownerCore.query('SELECT id::text AS id FROM staff_user WHERE email = $1', [EMAIL.dpo]);
    const request = await makeDataRequest(t, customer.chainId, customer.id, customer.homeStoreId, 'ACCESS', dpoId);
    const linked = async () => Number((await t.ownerCore.query(`SELECT count(*)::int AS n FROM data_request_event WHERE data_request_id = $1 AND kind = 'LINKED_EXPORT'`, [request]))[0].n);

    const refused = await getExport(t, limited.token, customer.id, `format=json&dataRequestId=${request}`);
    expect(refused.status).toBe(403);
    expect(await linked()).toBe(0);
    // The export itself (no request named) is what the role allows.
    expect((await getExport(t, limited.token, customer.id, 'format=json')).status).toBe(200);
    const byDpo = await getExport(t, dpo.token, customer.id, `format=json&dataRequestId=${request}`);
    expect(byDpo.status).toBe(200);
    expect(await linked()).toBe(1);
  });
});
