/**
 * Attack on the customer data export (issue 12), through the real server: FHIR JSON has no empty strings
 * (R4 json.html: a string value is never ""), but the API accepts an empty text for a prescription's notes and a
 * contact lens's brand, design and material. Those came out as `note: [{ text: "" }]` and `brand: ""`, so a
 * VisionPrescription another practice's system must reject. An empty text is now left out, like a null.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, richLeedsCustomer, validateAgainstXsd } from '../customer-export/export-support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every string anywhere in the value, with its path. */
function strings(value: unknown, path: string, out: { path: string; value: string }[] = []): { path: string; value: string }[] {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) strings(item, `${path}.${key}`, out);
  return out;
}

describe('attack: the FHIR bundle has no empty strings', () => {
  let app: TestApp;
  let as: Record<'dpo' | 'leedsOptometrist', SignedInClient>;
  let customer: { id: string; chainId: string; homeStoreId: string };

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['dpo', 'leedsOptometrist']);
    customer = await richLeedsCustomer(app);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('leaves an empty notes, brand, design or material out of the VisionPrescription', async () => {
    const spectacles = await app.request<{ issueSpectaclePrescription: { id: string } }>(
      'mutation ($input: IssueSpectaclePrescriptionInput!) { issueSpectaclePrescription(input: $input) { id } }',
      { input: { customerId: customer.id, storeId: customer.homeStoreId, outcome: 'NEW_RX', rightSphere: -1.25, leftSphere: -1, notes: '' } },
      as.leedsOptometrist.token,
    );
    expect(spectacles.errors).toBeUndefined();
    const expiresOn = new Date(Date.now() + 300 * 86400_000).toISOString().slice(0, 10);
    const lenses = await app.request<{ issueContactLensSpecification: { id: string } }>(
      'mutation ($input: IssueContactLensSpecificationInput!) { issueContactLensSpecification(input: $input) { id } }',
      { input: { customerId: customer.id, storeId: customer.homeStoreId, expiresOn, rightPower: -2, rightBrand: '', rightDesign: '', rightMaterial: '' } },
      as.leedsOptometrist.token,
    );
    expect(lenses.errors).toBeUndefined();
    const ids = [spectacles.data!.issueSpectaclePrescription.id, lenses.data!.issueContactLensSpecification.id];

    const response = await getExport(app, as.dpo.token, customer.id, 'format=json');
    expect(response.status).toBe(200);
    const document = JSON.parse(response.text) as Json;
    const resources = (document.fhir.entry as Json[]).map((entry) => entry.resource).filter((resource) => ids.includes(resource.id));
    expect(resources.map((resource) => resource.id).sort()).toEqual([...ids].sort());
    const empty = resources.flatMap((resource) => strings(resource, resource.id)).filter((s) => s.value.trim() === '' || s.value.endsWith(': '));
    expect(empty).toEqual([]);
    // The export's own parts keep the text as stored, and the XML still validates.
    expect(document.spectaclePrescriptions.find((p: Json) => p.id === ids[0]).notes).toBe('');
    expect((await validateAgainstXsd((await getExport(app, as.dpo.token, customer.id, 'format=xml')).text)).errors).toEqual([]);
  });
});
