/**
 * Attack on the customer data export (issue 12), through the real server: the access log part carries every
 * entry about the customer, but the permission check looked only at the stores its entries name, skipping
 * entries with no store (`store_id` NULL). Those are readable only under a chain-wide AccessLogEntry grant (the
 * access log review filters by store), yet a store-scoped exporter got them in the export. Now such an entry
 * needs the chain-wide read too, or the export is refused (403), not sent with rows the caller may not read.
 */
import { Actors, Entry } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport } from '../customer-export/export-support';

const FULL: Entry[] = [...['Customer', 'Consent', 'TermsAcceptance', 'Appointment', 'Examination', 'SpectaclePrescription',
  'ContactLensSpecification', 'ClinicalNote', 'AccessLogEntry'].map((subject) => ({ action: 'read', subject })), { action: 'export', subject: 'Customer' }];

describe('attack: access log entries without a store', () => {
  let app: TestApp;
  let actors: Actors;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    const demo = await actors.demo();
    [{ id: customerId }] = await app.ownerCore.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth) VALUES ($1, $2, 'Nostore', 'Probe', '1970-01-01') RETURNING id`,
      [demo.chainId, demo.stores.Leeds],
    );
    await actors.giveRole(await actors.makeStaff('store.exporter@clearview.example', 'Store Exporter'), 'Leeds exporter', FULL, { scopeType: 'STORE', storeId: demo.stores.Leeds });
    await actors.giveRole(await actors.makeStaff('chain.exporter@clearview.example', 'Chain Exporter'), 'Chain exporter', FULL);
    // An entry about the customer with no store, as the access log's append function takes it.
    await app.ownerClinical.query(
      `SELECT clinical_access_log_append($1, $2, gen_random_uuid(), 'test-request', NULL, NULL, 'probe', NULL,
         ARRAY[$3]::uuid[], ARRAY[NULL]::uuid[], ARRAY['Examination'], ARRAY['{}'], ARRAY['{"*"}'], ARRAY['DENIED'], ARRAY['{}'], ARRAY[NULL]::uuid[])`,
      [demo.chainId, demo.users['chain.manager@clearview.example'], customerId],
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('is not visible to the store-scoped exporter in the access log review', async () => {
    const result = await actors.as('store.exporter@clearview.example',
      'query ($id: ID!) { clinicalAccessLog(customerId: $id, first: 50) { edges { node { id storeId } } } }', { id: customerId });
    expect(result.errors).toBeUndefined();
    const edges = ((result.data as { clinicalAccessLog?: { edges: { node: { storeId: string | null } }[] } } | null)?.clinicalAccessLog?.edges ?? []);
    expect(edges.filter((edge) => edge.node.storeId === null)).toEqual([]);
  });

  it('refuses the store-scoped exporter rather than export the entry', async () => {
    const response = await getExport(app, await actors.token('store.exporter@clearview.example'), customerId, 'format=json');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text).errors[0].message).toContain('read AccessLogEntry (every field) at a store outside your read scope');
  });

  it('exports it for the chain-scoped exporter', async () => {
    const response = await getExport(app, await actors.token('chain.exporter@clearview.example'), customerId, 'format=json');
    expect(response.status).toBe(200);
    const entries = JSON.parse(response.text).accessLog as { storeId: string | null; operationName: string }[];
    expect(entries.filter((entry) => entry.storeId === null).map((entry) => entry.operationName)).toEqual(['probe']);
  });
});
