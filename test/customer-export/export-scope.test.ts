/**
 * Who may export, beyond the demo roles: a role with everything the export needs, but only at the customer's
 * home store, may export a customer whose records are all there; once one of the customer's examinations was
 * recorded at another store, the same role is refused (403, the store not named: the role reads nothing there),
 * not sent an export without it.
 * A role with full clinical read but a field-limited Customer read, or without AccessLogEntry, is refused too.
 */
import { Actors, Entry } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport } from './export-support';

const FULL: Entry[] = ['Customer', 'Consent', 'TermsAcceptance', 'Appointment', 'Examination', 'SpectaclePrescription',
  'ContactLensSpecification', 'ClinicalNote', 'AccessLogEntry'].map((subject) => ({ action: 'read', subject }));

describe('customer data export: scope and field rules', () => {
  let app: TestApp;
  let actors: Actors;
  let leeds: string;
  let york: string;
  let customerId: string;

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    const demo = await actors.demo();
    leeds = demo.stores.Leeds;
    york = demo.stores.York;
    [{ id: customerId }] = await app.ownerCore.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth) VALUES ($1, $2, 'Scope', 'Probe', '1970-01-01') RETURNING id`,
      [demo.chainId, leeds],
    );
    const at = { scopeType: 'STORE' as const, storeId: leeds };
    await actors.giveRole(await actors.makeStaff('leeds.exporter@clearview.example', 'Leeds Exporter'), 'Leeds exporter',
      [...FULL, { action: 'export', subject: 'Customer' }], at);
    await actors.giveRole(await actors.makeStaff('limited.exporter@clearview.example', 'Limited Exporter'), 'Limited exporter',
      [...FULL.filter((e) => e.subject !== 'Customer'), { action: 'read', subject: 'Customer', fields: ['id', 'firstName', 'lastName'] }, { action: 'export', subject: 'Customer' }], at);
    await actors.giveRole(await actors.makeStaff('nolog.exporter@clearview.example', 'No Log Exporter'), 'No access log exporter',
      [...FULL.filter((e) => e.subject !== 'AccessLogEntry'), { action: 'export', subject: 'Customer' }], at);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const exportAs = async (email: string) => getExport(app, await actors.token(email), customerId, 'format=json');

  it('a role with every read at the home store exports a customer whose records are all there', async () => {
    expect((await exportAs('leeds.exporter@clearview.example')).status).toBe(200);
  });

  it('refuses a field-limited Customer read and a missing AccessLogEntry read, naming them', async () => {
    const limited = await exportAs('limited.exporter@clearview.example');
    expect(limited.status).toBe(403);
    expect(JSON.parse(limited.text).errors[0].message).toContain(`read Customer (every field) at store ${leeds}`);
    const noLog = await exportAs('nolog.exporter@clearview.example');
    expect(noLog.status).toBe(403);
    expect(JSON.parse(noLog.text).errors[0].message).toContain(`read AccessLogEntry (every field) at store ${leeds}`);
  });

  it('refuses once a record is at a store where the role cannot read, without naming that store', async () => {
    const [{ chainId }] = await app.ownerCore.query('SELECT chain_id AS "chainId" FROM customer WHERE id = $1', [customerId]);
    const [{ id: practitionerId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'leeds.optometrist@clearview.example'`);
    await app.ownerClinical.query(
      `INSERT INTO examination (chain_id, store_id, customer_id, practitioner_id, examined_at) VALUES ($1, $2, $3, $4, now())`,
      [chainId, york, customerId, practitionerId],
    );
    const refused = await exportAs('leeds.exporter@clearview.example');
    expect(refused.status).toBe(403);
    const message = JSON.parse(refused.text).errors[0].message as string;
    expect(message).toContain('read Examination (every field) at a store outside your read scope');
    expect(message).not.toContain(york);
    expect(message).not.toContain(`at store ${leeds}`);
  });
});
