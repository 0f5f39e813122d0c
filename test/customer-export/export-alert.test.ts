/**
 * Every customer data export counts toward the BULK_EXPORTS alert: each export adds its one customer to the
 * user's distinct exported customers in the window. With the chain's threshold at 2, exporting the same
 * customer three times raises nothing; exporting three different customers raises one BULK_EXPORTS event for
 * the exporting user (a cut-off export counts too: its data started to leave).
 */
import { signIn } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, validateAgainstXsd } from './export-support';

describe('customer data export: the BULK_EXPORTS alert', () => {
  let app: TestApp;
  let dpoToken: string;
  let dpoId: string;
  let customers: string[];

  beforeAll(async () => {
    app = await startTestApp();
    const manager = await signIn(app, 'chainManager');
    const updated = await manager.request('mutation { updateAuditSettings(input: { anomalyExportCustomers: 2 }) { anomalyExportCustomers } }');
    expect(updated.errors).toBeUndefined();
    dpoToken = (await signIn(app, 'dpo')).token;
    [{ id: dpoId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`);
    customers = (await app.ownerCore.query(
      `SELECT c.id FROM customer c JOIN store s ON s.id = c.home_store_id WHERE s.name = 'Leeds' ORDER BY c.id LIMIT 3`,
    )).map((row: { id: string }) => row.id);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const events = async (): Promise<{ observed_count: number; threshold: number }[]> => app.ownerCore.query(
    `SELECT observed_count, threshold FROM security_event WHERE user_id = $1 AND kind = 'BULK_EXPORTS'`, [dpoId],
  );

  it('counts distinct customers: the same one exported three times raises nothing, three customers raise the alert', async () => {
    for (let i = 0; i < 3; i += 1) expect((await getExport(app, dpoToken, customers[0], 'format=json')).status).toBe(200);
    await app.app.anomalies.drain();
    expect(await events()).toEqual([]);

    const xml = await getExport(app, dpoToken, customers[1], 'format=xml');
    expect(xml.status).toBe(200);
    expect((await validateAgainstXsd(xml.text)).errors).toEqual([]);
    await app.app.anomalies.drain();
    expect(await events()).toEqual([]);

    expect((await getExport(app, dpoToken, customers[2], 'format=json')).status).toBe(200);
    await app.app.anomalies.drain();
    expect(await events()).toEqual([{ observed_count: 3, threshold: 2 }]);
  });
});
