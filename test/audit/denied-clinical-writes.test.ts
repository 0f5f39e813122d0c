/**
 * Refused clinical writes are logged like refused reads: every Mutation field returning a clinical type
 * (Examination, SpectaclePrescription, ContactLensSpecification, ClinicalNote: written here from the
 * domain, not taken from the code) is tried by someone refused at the operation (the receptionist) and
 * by someone refused by scope (the locum, an optometrist at York only, on a Leeds patient); each leaves a
 * DENIED entry naming the caller, the patient, the record and `<action>:<field>`. The answer to the
 * client is unchanged (NOT_FOUND still discloses nothing), and another chain's attempts never enter this
 * chain's trail.
 */
import { getNamedType, GraphQLSchema } from 'graphql';
import { buildDeclaredSchema } from '../../src/server/build-schema';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';
import { decryptStored } from '../support/clinical-ciphertext';

const CLINICAL_TYPES = new Set(['Examination', 'SpectaclePrescription', 'ContactLensSpecification', 'ClinicalNote']);
const OPTOMETRIST = EMAIL.leedsOptometrist;
const RECEPTION = EMAIL.leedsReception;
const LOCUM = EMAIL.locum;
const LAKESIDE = EMAIL.lakesideManager;

interface Entry { user_id: string; customer_id: string; subject: string; record_ids: string[]; fields: string[]; outcome: string; chain_id: string }

/**
 * One valid attempt per clinical mutation, aimed at the Leeds patient or their draft examination. A new
 * clinical mutation fails the coverage test below until it is given one here (and logged in the code).
 */
const ATTEMPTS: Record<string, (t: { customer: string; store: string; exam: string }) => string> = {
  createExamination: (t) => `createExamination(input: { customerId: "${t.customer}", storeId: "${t.store}", history: "attempt" }) { id }`,
  updateExamination: (t) => `updateExamination(id: "${t.exam}", input: { history: "attempt" }) { id }`,
  signExamination: (t) => `signExamination(id: "${t.exam}") { id }`,
  issueSpectaclePrescription: (t) => `issueSpectaclePrescription(input: { customerId: "${t.customer}", storeId: "${t.store}", outcome: NO_RX_NEEDED }) { id }`,
  issueContactLensSpecification: (t) => `issueContactLensSpecification(input: { customerId: "${t.customer}", storeId: "${t.store}", expiresOn: "2027-06-01",
    rightBrand: "Acme", rightMaterial: "silicone hydrogel", rightBaseCurve: 8.6, rightDiameter: 14.2, rightPower: -2.0, replacement: MONTHLY }) { id }`,
  addClinicalNote: (t) => `addClinicalNote(input: { customerId: "${t.customer}", storeId: "${t.store}", subjective: "attempt" }) { id }`,
};

describe('refused clinical writes are logged', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let chainId: string;
  let leedsStoreId: string;
  let patientId: string;
  let draftExamId: string;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  async function entriesOf(requestId: string | null): Promise<Entry[]> {
    return app.clinical.query('SELECT * FROM clinical_access_log_entry WHERE request_id = $1 ORDER BY id', [requestId]);
  }

  function documentFor(name: string): string {
    return `mutation { ${ATTEMPTS[name]({ customer: patientId, store: leedsStoreId, exam: draftExamId })} }`;
  }

  beforeAll(async () => {
    app = await startTestApp();
    schema = await buildDeclaredSchema();
    const [leeds] = (await app.core.query("SELECT id, chain_id FROM store WHERE name = 'Leeds'")) as { id: string; chain_id: string }[];
    leedsStoreId = leeds.id;
    chainId = leeds.chain_id;
    for (const email of [OPTOMETRIST, RECEPTION, LOCUM, LAKESIDE]) {
      ids[email] = ((await app.core.query('SELECT id FROM staff_user WHERE email = $1', [email])) as { id: string }[])[0].id;
      tokens[email] = await app.login(email);
    }
    const [customer] = (await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 1', [leedsStoreId])) as { id: string }[];
    patientId = customer.id;
    const draft = await app.request<{ createExamination: { id: string } }>(
      'mutation($c: ID!, $s: ID!) { createExamination(input: { customerId: $c, storeId: $s, history: "Draft for the test" }) { id } }',
      { c: patientId, s: leedsStoreId }, tokens[OPTOMETRIST],
    );
    expect(draft.errors).toBeUndefined();
    draftExamId = draft.data!.createExamination.id;
  });
  afterAll(() => app.stop());

  const clinicalMutations = (): string[] => Object.values(schema.getMutationType()!.getFields())
    .filter((f) => CLINICAL_TYPES.has(getNamedType(f.type).name)).map((f) => f.name);

  it('covers every Mutation field that returns a clinical type', () => {
    expect(clinicalMutations().sort()).toEqual(Object.keys(ATTEMPTS).sort());
  });

  it.each([
    ['receptionist, refused at the operation', RECEPTION, 'FORBIDDEN'],
    ['locum, refused by scope (York only)', LOCUM, 'NOT_FOUND'],
  ])('logs a DENIED entry for each clinical mutation tried by the %s', async (_label, email, code) => {
    const failures: string[] = [];
    for (const name of clinicalMutations()) {
      const result = await app.request(documentFor(name), {}, tokens[email]);
      const codes = errorCodes(result);
      // the locum may also be refused FORBIDDEN (an optometrist without registration, say): any refusal counts
      if (!(codes.length === 1 && (codes[0] === code || codes[0] === 'FORBIDDEN' || codes[0] === 'NOT_FOUND'))) {
        failures.push(`${name}: ${JSON.stringify(result.errors)}`);
        continue;
      }
      const entries = await entriesOf(result.headers.get('x-request-id'));
      const denied = entries.filter((e) => e.outcome === 'DENIED');
      const expectedAction = name === 'signExamination' ? 'sign' : name === 'updateExamination' ? 'update' : 'create';
      const ok = denied.length > 0 && denied.every((e) => e.user_id === ids[email] && e.customer_id === patientId && e.chain_id === chainId)
        && denied.every((e) => e.fields.every((f) => f.startsWith(`${expectedAction}:`)))
        && (name === 'updateExamination' || name === 'signExamination' ? denied.every((e) => e.record_ids.includes(draftExamId)) : true)
        && entries.every((e) => e.outcome === 'DENIED');
      if (!ok) failures.push(`${name}: entries ${JSON.stringify(entries)}`);
    }
    expect(failures).toEqual([]);
  });

  it('names the attempted fields, and still answers NOT_FOUND for another store’s record', async () => {
    const result = await app.request(
      'mutation($id: ID!) { updateExamination(id: $id, input: { history: "changed", reasonForVisit: "x" }) { id } }', { id: draftExamId }, tokens[LOCUM],
    );
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    const [entry] = await entriesOf(result.headers.get('x-request-id'));
    expect(entry.subject).toBe('Examination');
    expect(entry.fields.sort()).toEqual(['update:history', 'update:reasonForVisit']);
    const [exam] = (await app.clinical.query('SELECT history FROM examination WHERE id = $1', [draftExamId])) as { history: string }[];
    // Stored encrypted (test/encryption): decrypted with the run's master key.
    expect(await decryptStored(app.ownerClinical, 'Examination', 'history', draftExamId, exam.history)).toBe('Draft for the test');
  });

  it('keeps another chain’s attempts out of this chain’s trail, and logs no DENIED entry for a write that succeeds', async () => {
    const before = ((await app.clinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE chain_id = $1', [chainId])) as { n: number }[])[0].n;
    const foreign = await app.request(`mutation { signExamination(id: "${draftExamId}") { id } }`, {}, tokens[LAKESIDE]);
    expect(errorCodes(foreign)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(((await app.clinical.query('SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE chain_id = $1', [chainId])) as { n: number }[])[0].n).toBe(before);

    const ok = await app.request('mutation($id: ID!) { updateExamination(id: $id, input: { history: "fine" }) { id } }', { id: draftExamId }, tokens[OPTOMETRIST]);
    expect(ok.errors).toBeUndefined();
    const entries = await entriesOf(ok.headers.get('x-request-id'));
    expect(entries.filter((e) => e.outcome === 'DENIED')).toEqual([]);
  });
});
