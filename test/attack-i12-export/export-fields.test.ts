/**
 * Attack on the customer data export (issue 12), through the real server: the export must carry every catalog
 * field of Customer. `dataVerifiedById` (who recorded the last confirmation of the details, added with the
 * data-quality register) was left out silently.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { catalogSubject } from '../../src/policies/catalog';
import { getExport, richLeedsCustomer, validateAgainstXsd } from '../customer-export/export-support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('attack: the customer data export leaves no Customer field out', () => {
  let app: TestApp;
  let as: Record<'dpo' | 'leedsManager', SignedInClient>;
  let customer: { id: string; chainId: string; homeStoreId: string };
  let dpoId: string;

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['dpo', 'leedsManager']);
    customer = await richLeedsCustomer(app);
    [{ id: dpoId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('carries every catalog field of Customer, including who confirmed the details (dataVerifiedById)', async () => {
    // As confirmCustomerDetails stamps it (the demo DPO does not hold that update; the store staff do).
    await app.ownerCore.query('UPDATE customer SET data_verified_at = now(), data_verified_by_id = $2 WHERE id = $1', [customer.id, dpoId]);
    const response = await getExport(app, as.dpo.token, customer.id, 'format=json');
    expect(response.status).toBe(200);
    const document = JSON.parse(response.text) as Json;
    // `homeStore` is the home store as an object in GraphQL; the export gives it as homeStoreId and homeStoreName.
    const fields = catalogSubject('Customer')!.fields.map((field) => field.name).filter((name) => name !== 'homeStore');
    expect(fields.filter((name) => !(name in document.customer))).toEqual([]);
    expect(document.customer.dataVerifiedById).toBe(dpoId);
    expect(typeof document.customer.dataVerifiedByName).toBe('string');
    const xml = await getExport(app, as.dpo.token, customer.id, 'format=xml');
    expect(xml.text).toContain(`<dataVerifiedById>${dpoId}</dataVerifiedById>`);
    expect((await validateAgainstXsd(xml.text)).errors).toEqual([]);
  });

});
