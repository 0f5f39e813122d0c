/**
 * GET /exports/customers/{id}: the DPO exports a demo customer with a full history as XML (valid against
 * schemas/customer-export.xsd) and JSON (with FHIR VisionPrescriptions); every part is there; the clinical
 * records read are on the clinical access log before the export, the export is logged as a disclosure, and a
 * named ACCESS request gets a LINKED_EXPORT event. HTTP errors: 405, 401, 400 naming the parameter, 404 for a
 * customer that does not exist or is outside the caller's scope, 403 naming what is missing, 500 (nothing sent)
 * when the access log cannot be written.
 */
import { signInAll, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, makeDataRequest, richLeedsCustomer, validateAgainstXsd, exportBase } from './export-support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('customer data export', () => {
  let app: TestApp;
  let as: Record<'dpo' | 'leedsManager' | 'leedsOptometrist' | 'lakesideManager' | 'chainManager', SignedInClient>;
  let customer: { id: string; chainId: string; homeStoreId: string };
  let dpoId: string;

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['dpo', 'leedsManager', 'leedsOptometrist', 'lakesideManager', 'chainManager']);
    customer = await richLeedsCustomer(app);
    [{ id: dpoId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`);
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function count(sql: string, params: unknown[], db: 'core' | 'clinical' = 'core'): Promise<number> {
    const [row]: { n: number }[] = await (db === 'core' ? app.ownerCore : app.ownerClinical).query(sql, params);
    return row.n;
  }

  it('exports XML that validates against the committed XSD, with every part', async () => {
    const response = await getExport(app, as.dpo.token, customer.id, 'format=xml');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/xml/);
    const verdict = await validateAgainstXsd(response.text);
    expect(verdict.errors).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(response.text).toContain('xmlns="urn:visus:customer-export:1"');
    for (const part of ['header', 'customer', 'consents', 'consentHistory', 'termsAcceptances', 'restrictionHistory', 'objections',
      'appointments', 'examinations', 'spectaclePrescriptions', 'contactLensSpecifications', 'clinicalNotes', 'accessLog', 'notIncluded']) {
      expect(response.text).toMatch(new RegExp(`<${part}[ />]`));
    }
    const [{ first_name: firstName }] = await app.ownerCore.query('SELECT first_name FROM customer WHERE id = $1', [customer.id]);
    expect(response.text).toContain(`<firstName>${firstName}</firstName>`);
    expect(response.text).toMatch(/<refraction><id>/);
    expect(response.text).toMatch(/<exportedById>[0-9a-f-]{36}<\/exportedById>/);
    // The schema is not a rubber stamp: a wrong enum value, a part out of order or a missing part fails it.
    expect((await validateAgainstXsd(response.text.replace(/<status>[A-Z]+<\/status>/, '<status>BOGUS</status>'))).valid).toBe(false);
    expect((await validateAgainstXsd(response.text.replace(/<termsAcceptances[ />]/, '<termsAccepted>'))).valid).toBe(false);
    expect((await validateAgainstXsd(response.text.replace(/<notIncluded>.*<\/notIncluded>/s, ''))).valid).toBe(false);
  });

  it('keeps the XML well-formed and valid whatever text a record holds (characters XML cannot carry become U+FFFD)', async () => {
    const [{ id: customerId }] = await app.ownerCore.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth, address_line1) VALUES ($1, $2, $3, 'O''Brien & <Sons>', '1980-02-29', $4) RETURNING id`,
      [customer.chainId, customer.homeStoreId, 'Ann\u0001e', ']]> "quoted" \uD83D\uDE00'],
    );
    const response = await getExport(app, as.dpo.token, customerId, 'format=xml');
    expect(response.status).toBe(200);
    expect((await validateAgainstXsd(response.text)).errors).toEqual([]);
    expect(response.text).toContain('<firstName>Ann\uFFFDe</firstName>');
    expect(response.text).toContain('<lastName>O&apos;Brien &amp; &lt;Sons&gt;</lastName>'.replace('&apos;', "'"));
    const json = await getExport(app, as.dpo.token, customerId, 'format=json');
    expect(JSON.parse(json.text).customer.firstName).toBe('Ann\u0001e');
  });

  it('exports JSON with the same data and every record counted against the databases', async () => {
    const response = await getExport(app, as.dpo.token, customer.id, 'format=json');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const doc = JSON.parse(response.text) as Json;
    expect(doc.header).toMatchObject({ formatVersion: '1', customerId: customer.id, exportedById: dpoId, format: 'json' });
    expect(new Date(doc.header.exportedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(doc.customer.id).toBe(customer.id);
    const params = [customer.id];
    expect(doc.consentHistory).toHaveLength(await count('SELECT count(*)::int AS n FROM consent_event WHERE customer_id = $1', params));
    expect(doc.consents).toHaveLength(await count('SELECT count(*)::int AS n FROM consent WHERE customer_id = $1', params));
    expect(doc.appointments).toHaveLength(await count('SELECT count(*)::int AS n FROM appointment WHERE customer_id = $1', params));
    expect(doc.termsAcceptances).toHaveLength(await count('SELECT count(*)::int AS n FROM terms_acceptance WHERE customer_id = $1', params));
    expect(doc.examinations).toHaveLength(await count('SELECT count(*)::int AS n FROM examination WHERE customer_id = $1', params, 'clinical'));
    expect(doc.spectaclePrescriptions).toHaveLength(await count('SELECT count(*)::int AS n FROM spectacle_prescription WHERE customer_id = $1', params, 'clinical'));
    expect(doc.contactLensSpecifications).toHaveLength(await count('SELECT count(*)::int AS n FROM contact_lens_specification WHERE customer_id = $1', params, 'clinical'));
    expect(doc.clinicalNotes).toHaveLength(await count('SELECT count(*)::int AS n FROM clinical_note WHERE customer_id = $1', params, 'clinical'));
    const refractions = await count('SELECT count(*)::int AS n FROM refraction WHERE customer_id = $1', params, 'clinical');
    expect(doc.examinations.flatMap((exam: Json) => exam.refractions)).toHaveLength(refractions);
    // Consent proof: the wording's exact text for every event whose version was published.
    const withWording = doc.consentHistory.filter((event: Json) => event.wordingText !== null);
    expect(withWording.length).toBeGreaterThan(0);
    for (const event of doc.consentHistory) expect(Object.keys(event)).toEqual(expect.arrayContaining(['basis', 'source', 'actor', 'recordedById', 'saleReference']));
    // The access log part lists the reads of the first export (this one's are written before it, outside its snapshot).
    expect(doc.accessLog.some((entry: Json) => entry.subject === 'Examination' && entry.userId === dpoId && entry.operationName === 'customerDataExport')).toBe(true);
    expect(doc.accessLog[0]).toEqual(expect.objectContaining({ occurredAt: expect.any(String), userName: expect.any(String), outcome: expect.any(String) }));
    expect(doc.notIncluded.map((item: Json) => item.category)).toEqual(expect.arrayContaining(['Data change logs (before and after values)', 'Marketing suppression entries']));
    expect(doc.fhir).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(doc.fhir.entry.length).toBeGreaterThan(0);
  });

  it('writes every clinical record it carries to the clinical access log, and logs the export as a disclosure', async () => {
    const response = await fetch(`${exportBase(app)}/exports/customers/${customer.id}?format=json`, { headers: { authorization: `Bearer ${as.dpo.token}` } });
    expect(response.status).toBe(200);
    await response.text();
    const [latest]: { request_id: string }[] = await app.ownerClinical.query(
      `SELECT request_id FROM clinical_access_log_entry WHERE customer_id = $1 AND user_id = $2 AND operation_name = 'customerDataExport' ORDER BY seq DESC LIMIT 1`,
      [customer.id, dpoId],
    );
    const entries: { subject: string; record_ids: string[]; fields: string[]; outcome: string; assignment_ids: string[] }[] = await app.ownerClinical.query(
      'SELECT subject, record_ids, fields, outcome, assignment_ids FROM clinical_access_log_entry WHERE request_id = $1', [latest.request_id],
    );
    const bySubject = (subject: string) => entries.filter((e) => e.subject === subject).flatMap((e) => e.record_ids).sort();
    for (const [subject, table] of [['Examination', 'examination'], ['SpectaclePrescription', 'spectacle_prescription'],
      ['ContactLensSpecification', 'contact_lens_specification'], ['ClinicalNote', 'clinical_note']]) {
      const ids = (await app.ownerClinical.query(`SELECT id FROM ${table} WHERE customer_id = $1 ORDER BY id`, [customer.id])).map((r: { id: string }) => r.id);
      expect(bySubject(subject)).toEqual(ids.sort());
    }
    expect(entries.find((e) => e.subject === 'Examination')!.fields).toEqual(expect.arrayContaining(['refractions', 'history', 'visualAcuities']));
    expect(entries.every((e) => e.outcome === 'GRANTED' && e.assignment_ids.length > 0)).toBe(true);
    expect(entries.map((e) => e.subject)).toEqual(expect.arrayContaining(['Customer', 'AccessLogEntry']));

    const [logged] = await app.ownerCore.query(
      'SELECT user_id, customer_id, format, completed, parts, data_request_id FROM customer_data_export WHERE request_id = $1', [latest.request_id],
    );
    expect(logged).toMatchObject({ user_id: dpoId, customer_id: customer.id, format: 'json', completed: true, data_request_id: null });
    expect(logged.parts).toEqual(expect.arrayContaining(['customer', 'examinations', 'accessLog', 'fhir', 'notIncluded']));
    await expect(app.ownerCore.query('DELETE FROM customer_data_export WHERE request_id = $1', [latest.request_id])).rejects.toThrow();
  });

  it('links an export to an ACCESS or PORTABILITY request of that customer, and refuses another request', async () => {
    const access = await makeDataRequest(app, customer.chainId, customer.id, customer.homeStoreId, 'ACCESS', dpoId);
    const response = await getExport(app, as.dpo.token, customer.id, `format=xml&dataRequestId=${access}`);
    expect(response.status).toBe(200);
    expect((await validateAgainstXsd(response.text)).valid).toBe(true);
    expect(response.text).toContain(`<dataRequestId>${access}</dataRequestId>`);
    const events: { kind: string; details: Json }[] = await app.ownerCore.query(
      `SELECT kind, details FROM data_request_event WHERE data_request_id = $1 AND kind = 'LINKED_EXPORT'`, [access],
    );
    expect(events).toHaveLength(1);
    const [exported] = await app.ownerCore.query('SELECT id FROM customer_data_export WHERE data_request_id = $1', [access]);
    expect(events[0].details).toMatchObject({ exportId: exported.id, format: 'xml' });

    const erasure = await makeDataRequest(app, customer.chainId, customer.id, customer.homeStoreId, 'ERASURE', dpoId);
    const wrongType = await getExport(app, as.dpo.token, customer.id, `format=xml&dataRequestId=${erasure}`);
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.text).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', parameter: 'dataRequestId' });

    const [other] = await app.ownerCore.query('SELECT id FROM customer WHERE home_store_id = $1 AND id <> $2 LIMIT 1', [customer.homeStoreId, customer.id]);
    const otherRequest = await makeDataRequest(app, customer.chainId, other.id, customer.homeStoreId, 'ACCESS', dpoId);
    const wrongCustomer = await getExport(app, as.dpo.token, customer.id, `format=xml&dataRequestId=${otherRequest}`);
    expect(wrongCustomer.status).toBe(404);
    expect(JSON.parse(wrongCustomer.text).errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', parameter: 'dataRequestId' });
  });

  it('answers 405, 401 and 400 naming the parameter', async () => {
    const post = await fetch(`${exportBase(app)}/exports/customers/${customer.id}?format=xml`, { method: 'POST', headers: { authorization: `Bearer ${as.dpo.token}` } });
    expect(post.status).toBe(405);
    expect((await getExport(app, null, customer.id)).status).toBe(401);
    expect((await getExport(app, 'not-a-token', customer.id)).status).toBe(401);
    const bad = async (id: string, query: string) => {
      const response = await getExport(app, as.dpo.token, id, query);
      expect(response.status).toBe(400);
      return JSON.parse(response.text).errors[0].extensions.parameter as string;
    };
    expect(await bad('not-a-uuid', 'format=xml')).toBe('id');
    expect(await bad(customer.id, '')).toBe('format');
    expect(await bad(customer.id, 'format=csv')).toBe('format');
    expect(await bad(customer.id, 'format=xml&format=json')).toBe('format');
    expect(await bad(customer.id, 'format=xml&storeId=x')).toBe('storeId');
    expect(await bad(customer.id, 'format=xml&dataRequestId=nope')).toBe('dataRequestId');
  });

  it('answers 404 for a customer that does not exist or is outside the caller’s scope, and 403 naming what is missing', async () => {
    expect((await getExport(app, as.dpo.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const otherChain = await getExport(app, as.lakesideManager.token, customer.id);
    expect(otherChain.status).toBe(404);
    // Store manager of Leeds: export Customer, but clinical summaries only and no clinical notes.
    const manager = await getExport(app, as.leedsManager.token, customer.id);
    expect(manager.status).toBe(403);
    const message = JSON.parse(manager.text).errors[0].message as string;
    expect(message).toContain('read Examination (every field)');
    expect(message).toContain('read ClinicalNote (every field)');
    // Optometrist: full clinical read, no export.
    const optometrist = await getExport(app, as.leedsOptometrist.token, customer.id);
    expect(optometrist.status).toBe(403);
    expect(JSON.parse(optometrist.text).errors[0].message).toContain('export Customer');
    // A refused export reads nothing clinical and logs no disclosure.
    const [{ id: managerId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'leeds.manager@clearview.example'`);
    expect(await count(`SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE user_id = $1 AND operation_name = 'customerDataExport'`, [managerId], 'clinical')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM customer_data_export WHERE user_id = $1', [managerId])).toBe(0);
    // The chain manager (manage everything) may.
    expect((await getExport(app, as.chainManager.token, customer.id, 'format=json')).status).toBe(200);
  });

  it('fails closed: nothing is sent when the clinical access log cannot be written', async () => {
    const before = await count('SELECT count(*)::int AS n FROM customer_data_export WHERE user_id = $1', [dpoId]);
    await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry ADD CONSTRAINT no_export_writes CHECK (false) NOT VALID');
    try {
      const response = await getExport(app, as.dpo.token, customer.id, 'format=json');
      expect(response.status).toBe(500);
      const [{ first_name: firstName }] = await app.ownerCore.query('SELECT first_name FROM customer WHERE id = $1', [customer.id]);
      expect(response.text).not.toContain(firstName);
      expect(JSON.parse(response.text).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await app.ownerClinical.query('ALTER TABLE clinical_access_log_entry DROP CONSTRAINT no_export_writes');
    }
    expect(await count('SELECT count(*)::int AS n FROM customer_data_export WHERE user_id = $1', [dpoId])).toBe(before);
    expect((await getExport(app, as.dpo.token, customer.id, 'format=json')).status).toBe(200);
  });
});
