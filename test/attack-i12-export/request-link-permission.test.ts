/**
 * Attack on the customer data export (issue 12), through the real server: linking an export to a data-subject
 * request appends LINKED_EXPORT to the request's history, a write to the request. The catalog reserves
 * `export DataRequest` for exactly that ("the customer data export linked to a request"), as rectification needs
 * `update DataRequest.linkedChanges`. A role that may only READ requests (with everything the export itself
 * needs) could still write LINKED_EXPORT events into any request it can see. Now it is refused (403) before
 * anything is sent, and nothing is written; with `export DataRequest` the link is made.
 */
import { Actors, Entry } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, makeDataRequest, richLeedsCustomer } from '../customer-export/export-support';

const EXPORT: Entry[] = [...['Customer', 'Consent', 'TermsAcceptance', 'Appointment', 'Examination', 'SpectaclePrescription',
  'ContactLensSpecification', 'ClinicalNote', 'AccessLogEntry'].map((subject) => ({ action: 'read', subject })), { action: 'export', subject: 'Customer' }];

describe('attack: linking an export to a request needs export DataRequest', () => {
  let app: TestApp;
  let actors: Actors;
  let customer: { id: string; chainId: string; homeStoreId: string };
  let readerId: string;
  let linkerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    customer = await richLeedsCustomer(app);
    readerId = await actors.makeStaff('request.reader@clearview.example', 'Request Reader');
    await actors.giveRole(readerId, 'Exporter who reads requests', [...EXPORT, { action: 'read', subject: 'DataRequest' }]);
    linkerId = await actors.makeStaff('request.linker@clearview.example', 'Request Linker');
    await actors.giveRole(linkerId, 'Exporter who answers requests', [...EXPORT, { action: 'read', subject: 'DataRequest' }, { action: 'export', subject: 'DataRequest' }]);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const events = async (requestId: string): Promise<string[]> =>
    ((await app.ownerCore.query('SELECT kind FROM data_request_event WHERE data_request_id = $1 ORDER BY occurred_at', [requestId])) as { kind: string }[])
      .map((row) => row.kind);

  it('refuses a role that only reads requests: 403, no LINKED_EXPORT, no export logged', async () => {
    const requestId = await makeDataRequest(app, customer.chainId, customer.id, customer.homeStoreId, 'ACCESS', readerId);
    const response = await getExport(app, await actors.token('request.reader@clearview.example'), customer.id, `format=json&dataRequestId=${requestId}`);
    expect(response.status).toBe(403);
    const error = JSON.parse(response.text).errors[0];
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/export DataRequest/);
    expect(await events(requestId)).not.toContain('LINKED_EXPORT');
    expect(await app.ownerCore.query('SELECT 1 FROM customer_data_export WHERE user_id = $1', [readerId])).toEqual([]);
    // Without naming a request the same role exports (it holds everything the export needs).
    expect((await getExport(app, await actors.token('request.reader@clearview.example'), customer.id, 'format=json')).status).toBe(200);
  });

  it('links for a role with export DataRequest', async () => {
    const requestId = await makeDataRequest(app, customer.chainId, customer.id, customer.homeStoreId, 'PORTABILITY', linkerId);
    const response = await getExport(app, await actors.token('request.linker@clearview.example'), customer.id, `format=json&dataRequestId=${requestId}`);
    expect(response.status).toBe(200);
    expect(await events(requestId)).toContain('LINKED_EXPORT');
  });
});
