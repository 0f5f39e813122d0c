/**
 * The JSON export's prescriptions as FHIR R4 VisionPrescription resources in a `collection` Bundle, checked
 * against the R4 rules as the specification states them (https://hl7.org/fhir/R4/visionprescription.html,
 * bundle.html, datatypes.html, json.html), not against the code: the required elements and cardinalities, the
 * required value sets (status, eye, prism base), the data types (dateTime, decimal, integer, Reference,
 * CodeableConcept, Quantity, Annotation), no element outside the resource's definition, and no null, empty
 * string, empty array or empty object anywhere (JSON representation). And the values are the records'.
 */
import { signIn } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, richLeedsCustomer } from './export-support';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// R4 VisionPrescription: the elements a resource and a lensSpecification may have.
const RESOURCE_ELEMENTS = ['resourceType', 'id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension',
  'identifier', 'status', 'created', 'patient', 'encounter', 'dateWritten', 'prescriber', 'lensSpecification'];
const REQUIRED_RESOURCE = ['status', 'created', 'patient', 'dateWritten', 'prescriber', 'lensSpecification'];
const LENS_ELEMENTS = ['id', 'extension', 'modifierExtension', 'product', 'eye', 'sphere', 'cylinder', 'axis', 'prism', 'add', 'power',
  'backCurve', 'diameter', 'duration', 'color', 'brand', 'note'];
const STATUS = ['active', 'cancelled', 'draft', 'entered-in-error'];
const EYE = ['right', 'left'];
const PRISM_BASE = ['up', 'down', 'in', 'out'];
// datatypes.html: dateTime allows YYYY, YYYY-MM, YYYY-MM-DD, or a full time with a zone.
const DATE_TIME = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function expectNoEmpty(value: unknown, path: string): void {
  expect({ path, value: value === null || value === '' ? value : 'ok' }).toEqual({ path, value: 'ok' });
  if (Array.isArray(value)) {
    expect({ path, length: value.length > 0 }).toEqual({ path, length: true });
    value.forEach((item, i) => expectNoEmpty(item, `${path}[${i}]`));
  } else if (typeof value === 'object' && value !== null) {
    expect({ path, keys: Object.keys(value).length > 0 }).toEqual({ path, keys: true });
    for (const [key, item] of Object.entries(value)) expectNoEmpty(item, `${path}.${key}`);
  }
}

function expectDecimal(value: unknown): void {
  if (value === undefined) return;
  expect(typeof value).toBe('number');
  expect(Number.isFinite(value)).toBe(true);
}

function expectReference(reference: Json): void {
  expect(typeof reference).toBe('object');
  expect(Object.keys(reference).every((key) => ['reference', 'type', 'identifier', 'display', 'id', 'extension'].includes(key))).toBe(true);
  expect(reference.reference !== undefined || reference.identifier !== undefined || reference.display !== undefined).toBe(true);
}

function expectCodeableConcept(concept: Json): void {
  expect(Object.keys(concept).every((key) => ['coding', 'text', 'id', 'extension'].includes(key))).toBe(true);
  for (const coding of concept.coding ?? []) {
    expect(Object.keys(coding).every((key) => ['system', 'version', 'code', 'display', 'userSelected', 'id', 'extension'].includes(key))).toBe(true);
  }
}

function expectVisionPrescription(resource: Json): void {
  expect(resource.resourceType).toBe('VisionPrescription');
  expect(Object.keys(resource).filter((key) => !RESOURCE_ELEMENTS.includes(key))).toEqual([]);
  for (const element of REQUIRED_RESOURCE) expect({ element, present: resource[element] !== undefined }).toEqual({ element, present: true });
  if (resource.id !== undefined) expect(resource.id).toMatch(ID);
  expect(STATUS).toContain(resource.status);
  expect(resource.created).toMatch(DATE_TIME);
  expect(resource.dateWritten).toMatch(DATE_TIME);
  expectReference(resource.patient);
  expectReference(resource.prescriber);
  expect(Array.isArray(resource.lensSpecification)).toBe(true);
  expect(resource.lensSpecification.length).toBeGreaterThanOrEqual(1);
  for (const lens of resource.lensSpecification as Json[]) {
    expect(Object.keys(lens).filter((key) => !LENS_ELEMENTS.includes(key))).toEqual([]);
    expect(lens.product).toBeDefined();
    expectCodeableConcept(lens.product);
    expect(EYE).toContain(lens.eye);
    for (const key of ['sphere', 'cylinder', 'add', 'power', 'backCurve', 'diameter']) expectDecimal(lens[key]);
    if (lens.axis !== undefined) expect(Number.isInteger(lens.axis)).toBe(true);
    for (const prism of lens.prism ?? []) {
      expect(Object.keys(prism).filter((key) => !['amount', 'base', 'id', 'extension'].includes(key))).toEqual([]);
      expectDecimal(prism.amount);
      expect(prism.amount).toBeDefined();
      expect(PRISM_BASE).toContain(prism.base);
    }
    if (lens.duration !== undefined) {
      expect(lens.duration.comparator).toBeUndefined(); // SimpleQuantity
      expectDecimal(lens.duration.value);
    }
    for (const key of ['color', 'brand']) if (lens[key] !== undefined) expect(typeof lens[key]).toBe('string');
    for (const note of lens.note ?? []) expect(typeof note.text).toBe('string');
  }
}

describe('customer data export: FHIR R4 VisionPrescription', () => {
  let app: TestApp;
  let token: string;
  let customer: { id: string };

  beforeAll(async () => {
    app = await startTestApp();
    token = (await signIn(app, 'dpo')).token;
    customer = await richLeedsCustomer(app);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('gives every prescription with values as a valid VisionPrescription in a collection Bundle, with the records’ values', async () => {
    // A prism on one eye, so the prism rules are exercised on real output.
    const [rx]: { id: string }[] = await app.ownerClinical.query(
      'SELECT id FROM spectacle_prescription WHERE customer_id = $1 AND right_sphere IS NOT NULL ORDER BY id LIMIT 1', [customer.id],
    );
    await app.ownerClinical.query(
      `UPDATE spectacle_prescription SET right_prism_horizontal = 1.5, right_prism_horizontal_base = 'IN', right_prism_vertical = 0.5, right_prism_vertical_base = 'DOWN' WHERE id = $1`,
      [rx.id],
    );
    const response = await getExport(app, token, customer.id, 'format=json');
    expect(response.status).toBe(200);
    const bundle = JSON.parse(response.text).fhir as Json;
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expectNoEmpty(bundle, 'fhir');
    for (const entry of bundle.entry as Json[]) {
      expect(Object.keys(entry).filter((key) => !['fullUrl', 'resource', 'link', 'search', 'request', 'response', 'id', 'extension'].includes(key))).toEqual([]);
      expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource.id}`);
      expectVisionPrescription(entry.resource);
    }

    const spectacles: Json[] = await app.ownerClinical.query(
      `SELECT id, right_sphere::float8 AS sphere, right_cylinder::float8 AS cylinder, right_axis AS axis, issued_on::text AS issued
         FROM spectacle_prescription WHERE customer_id = $1 AND (right_sphere IS NOT NULL OR left_sphere IS NOT NULL)`, [customer.id],
    );
    const lenses: Json[] = await app.ownerClinical.query(
      `SELECT id, right_power::float8 AS power, right_base_curve::float8 AS "backCurve" FROM contact_lens_specification WHERE customer_id = $1`, [customer.id],
    );
    const resources = new Map((bundle.entry as Json[]).map((entry) => [entry.resource.id as string, entry.resource as Json]));
    expect(resources.size).toBe(spectacles.length + lenses.length);
    for (const row of spectacles) {
      const resource = resources.get(row.id)!;
      expect(resource.dateWritten).toBe(row.issued);
      const right = resource.lensSpecification.find((lens: Json) => lens.eye === 'right');
      if (row.sphere !== null) {
        expect(right.product.coding[0].code).toBe('lens');
        expect(right.sphere).toBe(row.sphere);
        expect(right.cylinder ?? null).toBe(row.cylinder);
        expect(right.axis ?? null).toBe(row.axis);
      }
    }
    const prismed = resources.get(rx.id)!.lensSpecification.find((lens: Json) => lens.eye === 'right');
    expect(prismed.prism).toEqual([{ amount: 1.5, base: 'in' }, { amount: 0.5, base: 'down' }]);
    for (const row of lenses) {
      const right = resources.get(row.id)!.lensSpecification.find((lens: Json) => lens.eye === 'right');
      if (row.power !== null) {
        expect(right.product.coding[0].code).toBe('contact');
        expect(right.power).toBe(row.power);
        expect(right.backCurve ?? null).toBe(row.backCurve);
      }
    }
  });
});
