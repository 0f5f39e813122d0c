/**
 * The customer's prescriptions as FHIR R4 `VisionPrescription` resources (https://hl7.org/fhir/R4/visionprescription.html),
 * for the JSON export's `fhir` Bundle (type `collection`), so another practice's system can take them:
 * - a spectacle prescription: product `lens`, per eye with a value: sphere, cylinder, axis, add and the prism's
 *   horizontal and vertical components (each `{ amount, base: in|out|up|down }`), the notes as `note`;
 * - a contact lens specification: product `contact`, per eye with a value: `power` (R4's contact lens power), cylinder,
 *   axis, add, backCurve (base curve), diameter, brand, the replacement schedule as `duration` (UCUM), design and
 *   material as `note`, and its expiry as a `note` line too (R4 has no expiry element).
 * status `active` (a record in force: the platform keeps no cancelled prescriptions), created = when recorded,
 * dateWritten = the issue date, patient and prescriber as identifier + display references (the bundle carries no
 * Patient or Practitioner resource). A prescription with no value for either eye (outcome "no Rx needed", or
 * "referred" without values) has no lensSpecification and so is no VisionPrescription: it is left out of the
 * bundle (it is in the export's own `spectaclePrescriptions`). A blank text (notes, brand, design, material) is
 * left out like a null: FHIR JSON has no empty strings.
 */

type Row = Record<string, unknown>;
type Eye = 'right' | 'left';

const PRODUCT_SYSTEM = 'http://terminology.hl7.org/CodeSystem/ex-visionprescriptionproduct';
const UCUM = 'http://unitsofmeasure.org';
export const CUSTOMER_IDENTIFIER_SYSTEM = 'urn:visus:customer';
export const PRESCRIBER_IDENTIFIER_SYSTEM = 'urn:visus:prescriber-registration';
export const RECORD_IDENTIFIER_SYSTEM = 'urn:visus:clinical-record';

const DURATION: Readonly<Record<string, { value: number; unit: string; code: string }>> = {
  DAILY: { value: 1, unit: 'day', code: 'd' },
  TWO_WEEKLY: { value: 2, unit: 'week', code: 'wk' },
  MONTHLY: { value: 1, unit: 'month', code: 'mo' },
  QUARTERLY: { value: 3, unit: 'month', code: 'mo' },
  YEARLY: { value: 1, unit: 'year', code: 'a' },
};

export interface Patient {
  id: string;
  display: string;
}

/** A value FHIR can carry: not null, and not a blank text (FHIR JSON has no empty strings; the API accepts "" for notes, brand, design, material). */
function present(value: unknown): boolean {
  return value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === '');
}

/** Drops null, undefined and blank-text members (FHIR has no nulls and no empty strings). */
function compact(object: Row): Row {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => present(value)));
}

function product(code: 'lens' | 'contact'): Row {
  return { coding: [{ system: PRODUCT_SYSTEM, code, display: code === 'lens' ? 'Lens' : 'Contact Lens' }] };
}

function base(row: Row, patient: Patient, kind: string): Row {
  return {
    resourceType: 'VisionPrescription',
    id: row.id,
    identifier: [{ system: RECORD_IDENTIFIER_SYSTEM, value: `${kind}/${String(row.id)}` }],
    status: 'active',
    created: row.createdAt,
    patient: { identifier: { system: CUSTOMER_IDENTIFIER_SYSTEM, value: patient.id }, display: patient.display },
    dateWritten: row.issuedOn,
    prescriber: { identifier: { system: PRESCRIBER_IDENTIFIER_SYSTEM, value: row.prescriberRegistrationNumber }, display: row.prescriberName },
  };
}

function spectacleEye(eye: Eye, values: Row): Row | null {
  const prism: Row[] = [];
  if (present(values.prismHorizontal) && present(values.prismHorizontalBase)) {
    prism.push({ amount: values.prismHorizontal, base: String(values.prismHorizontalBase).toLowerCase() });
  }
  if (present(values.prismVertical) && present(values.prismVerticalBase)) {
    prism.push({ amount: values.prismVertical, base: String(values.prismVerticalBase).toLowerCase() });
  }
  const spec = compact({ sphere: values.sphere, cylinder: values.cylinder, axis: values.axis, add: values.nearAdd });
  if (Object.keys(spec).length === 0 && prism.length === 0) return null;
  return { product: product('lens'), eye, ...spec, ...(prism.length > 0 ? { prism } : {}) };
}

function contactEye(eye: Eye, values: Row, row: Row): Row | null {
  const spec = compact({
    power: values.power, cylinder: values.cylinder, axis: values.axis, add: values.nearAdd,
    backCurve: values.baseCurve, diameter: values.diameter,
  });
  if (Object.keys(spec).length === 0 && !present(values.brand)) return null;
  const duration = typeof row.replacement === 'string' ? DURATION[row.replacement] : undefined;
  const notes = [
    present(values.design) ? `Design: ${String(values.design)}` : null,
    present(values.material) ? `Material: ${String(values.material)}` : null,
    `Expires on ${String(row.expiresOn)}: not to be supplied after that date.`,
  ].filter((text): text is string => text !== null);
  return compact({
    product: product('contact'), eye, ...spec,
    duration: duration ? { value: duration.value, unit: duration.unit, system: UCUM, code: duration.code } : null,
    brand: values.brand,
    note: notes.map((text) => ({ text })),
  });
}

/** A spectacle prescription row (the export's JSON object) as a VisionPrescription, or null when it has no values. */
export function spectacleVisionPrescription(row: Row, patient: Patient): Row | null {
  const lensSpecification = (['right', 'left'] as const)
    .map((eye) => spectacleEye(eye, row[eye] as Row))
    .filter((spec): spec is Row => spec !== null);
  if (lensSpecification.length === 0) return null;
  if (present(row.notes)) lensSpecification.forEach((spec) => { spec.note = [{ text: row.notes }]; });
  return { ...base(row, patient, 'spectacle-prescription'), lensSpecification };
}

/** A contact lens specification row as a VisionPrescription, or null when it has no values. */
export function contactLensVisionPrescription(row: Row, patient: Patient): Row | null {
  const lensSpecification = (['right', 'left'] as const)
    .map((eye) => contactEye(eye, row[eye] as Row, row))
    .filter((spec): spec is Row => spec !== null);
  if (lensSpecification.length === 0) return null;
  return { ...base(row, patient, 'contact-lens-specification'), lensSpecification };
}

/** A Bundle entry for a resource. */
export function bundleEntry(resource: Row): Row {
  return { fullUrl: `urn:uuid:${String(resource.id)}`, resource };
}
