/**
 * The parts of one customer's data export, in document order, each as ONE SQL statement read through a
 * cursor (one JSON object per row, built by PostgreSQL with its keys in document order: the XSD's
 * sequence, schemas/customer-export.xsd). `$1` is the chain, `$2` the customer. Timestamps are ISO 8601
 * in UTC (the snapshot sets TimeZone), dates YYYY-MM-DD, numbers JSON numbers. A null value is left out
 * of the XML and kept as null in the JSON. Nested lists (an examination's findings, a log entry's record
 * ids) are JSON arrays whose XML items are named by ITEM_NAMES.
 */

export type ExportDatabase = 'core' | 'clinical';

/** What the export says of a client-side-encrypted SOAP note (docs/clinical-encryption.md): the server cannot read it. */
export const ENCRYPTED_SOAP_NOTICE = 'encrypted by the practice; ask the practice for the key';

export interface ExportPart {
  /** The JSON key and XML element of the part (a list of `item`, or for `customer` the one record). */
  name: string;
  item: string;
  database: ExportDatabase;
  sql: string;
}

/** Staff names for ids in the core database (identifiers of the chain's own staff). */
const staffName = (column: string): string => `(SELECT u.name FROM staff_user u WHERE u.id = ${column})`;

export const CUSTOMER_PART: ExportPart = {
  name: 'customer',
  item: 'customer',
  database: 'core',
  sql: `SELECT json_build_object(
      'id', c.id, 'firstName', c.first_name, 'lastName', c.last_name, 'dateOfBirth', c.date_of_birth, 'sex', c.sex,
      'addressLine1', c.address_line1, 'addressLine2', c.address_line2, 'city', c.city, 'postcode', c.postcode,
      'country', c.country, 'phone', c.phone, 'email', c.email, 'homeStoreId', c.home_store_id,
      'homeStoreName', (SELECT s.name FROM store s WHERE s.id = c.home_store_id), 'status', c.status,
      'dataVerifiedAt', c.data_verified_at, 'createdAt', c.created_at, 'updatedAt', c.updated_at,
      'restricted', coalesce((SELECT r.restricted FROM processing_restriction r WHERE r.customer_id = c.id), false),
      'objectsToDirectMarketing', EXISTS (SELECT 1 FROM marketing_objection o WHERE o.customer_id = c.id),
      'dataVerifiedById', c.data_verified_by_id, 'dataVerifiedByName', ${staffName('c.data_verified_by_id')}, 'erasedAt', c.erased_at) AS r
    FROM customer c WHERE c.chain_id = $1 AND c.id = $2`,
};

/** The parts after the customer record, in document order. */
export const LIST_PARTS: readonly ExportPart[] = [
  {
    name: 'consents', item: 'consent', database: 'core',
    sql: `SELECT json_build_object(
        'channel', k.channel, 'granted', k.granted, 'changedAt', k.changed_at, 'basis', k.basis, 'actor', k.actor,
        'recordedById', k.recorded_by_id, 'recordedByName', ${staffName('k.recorded_by_id')}, 'source', k.source,
        'wordingVersion', k.wording_version, 'saleReference', k.sale_reference, 'optOutOffered', k.opt_out_offered) AS r
      FROM consent k WHERE k.chain_id = $1 AND k.customer_id = $2 ORDER BY k.channel`,
  },
  {
    name: 'consentHistory', item: 'consentEvent', database: 'core',
    sql: `SELECT json_build_object(
        'id', e.id, 'channel', e.channel, 'granted', e.granted, 'changedAt', e.changed_at, 'basis', e.basis, 'actor', e.actor,
        'recordedById', e.recorded_by_id, 'recordedByName', ${staffName('e.recorded_by_id')}, 'source', e.source,
        'wordingVersion', e.wording_version,
        'wordingText', (SELECT w.text FROM consent_wording w WHERE w.chain_id = e.chain_id AND w.channel = e.channel AND w.version = e.wording_version),
        'saleReference', e.sale_reference, 'optOutOffered', e.opt_out_offered) AS r
      FROM consent_event e WHERE e.chain_id = $1 AND e.customer_id = $2 ORDER BY e.changed_at, e.id`,
  },
  {
    name: 'termsAcceptances', item: 'termsAcceptance', database: 'core',
    sql: `SELECT json_build_object(
        'id', t.id, 'document', t.document, 'version', t.version, 'acceptedAt', t.accepted_at, 'source', t.source,
        'recordedById', t.recorded_by_id, 'recordedByName', ${staffName('t.recorded_by_id')}) AS r
      FROM terms_acceptance t WHERE t.chain_id = $1 AND t.customer_id = $2 ORDER BY t.accepted_at, t.id`,
  },
  {
    name: 'restrictionHistory', item: 'restrictionEvent', database: 'core',
    sql: `SELECT json_build_object(
        'id', x.id, 'restricted', x.restricted, 'reason', x.reason, 'occurredAt', x.occurred_at,
        'recordedById', x.recorded_by_id, 'recordedByName', ${staffName('x.recorded_by_id')}) AS r
      FROM processing_restriction_event x WHERE x.chain_id = $1 AND x.customer_id = $2 ORDER BY x.occurred_at, x.id`,
  },
  {
    name: 'objections', item: 'objection', database: 'core',
    sql: `SELECT json_build_object(
        'id', o.id, 'occurredAt', o.occurred_at, 'actor', o.actor, 'source', o.source,
        'recordedById', o.recorded_by_id, 'recordedByName', ${staffName('o.recorded_by_id')}) AS r
      FROM marketing_objection o WHERE o.chain_id = $1 AND o.customer_id = $2 ORDER BY o.occurred_at, o.id`,
  },
  {
    name: 'appointments', item: 'appointment', database: 'core',
    sql: `SELECT json_build_object(
        'id', a.id, 'storeId', a.store_id, 'storeName', (SELECT s.name FROM store s WHERE s.id = a.store_id),
        'type', a.type, 'startsAt', a.starts_at, 'endsAt', a.ends_at, 'status', a.status,
        'cancellationReason', a.cancellation_reason, 'practitionerId', a.practitioner_id,
        'practitionerName', ${staffName('a.practitioner_id')}, 'createdAt', a.created_at) AS r
      FROM appointment a WHERE a.chain_id = $1 AND a.customer_id = $2 ORDER BY a.starts_at, a.id`,
  },
  {
    name: 'examinations', item: 'examination', database: 'clinical',
    sql: `SELECT json_build_object(
        'id', x.id, 'storeId', x.store_id, 'examinedAt', x.examined_at, 'practitionerId', x.practitioner_id,
        'status', x.status, 'signedAt', x.signed_at, 'signedById', x.signed_by_id,
        'reasonForVisit', x.reason_for_visit, 'history', x.history,
        'refractions', coalesce((SELECT json_agg(json_build_object(
            'id', f.id, 'eye', f.eye, 'type', f.type, 'sphere', f.sphere, 'cylinder', f.cylinder, 'axis', f.axis,
            'nearAdd', f.near_add, 'prismHorizontal', f.prism_horizontal, 'prismHorizontalBase', f.prism_horizontal_base,
            'prismVertical', f.prism_vertical, 'prismVerticalBase', f.prism_vertical_base) ORDER BY f.eye, f.type, f.id)
          FROM refraction f WHERE f.examination_id = x.id), '[]'::json),
        'visualAcuities', coalesce((SELECT json_agg(json_build_object(
            'id', f.id, 'eye', f.eye, 'distance', f.distance, 'aid', f.aid, 'unit', f.unit, 'value', f.value,
            'logMar', f.log_mar) ORDER BY f.eye, f.distance, f.id)
          FROM visual_acuity f WHERE f.examination_id = x.id), '[]'::json),
        'intraocularPressures', coalesce((SELECT json_agg(json_build_object(
            'id', f.id, 'eye', f.eye, 'mmHg', f.mm_hg, 'instrument', f.instrument, 'measuredAt', f.measured_at)
            ORDER BY f.measured_at, f.eye, f.id)
          FROM intraocular_pressure f WHERE f.examination_id = x.id), '[]'::json),
        'createdAt', x.created_at, 'updatedAt', x.updated_at) AS r
      FROM examination x WHERE x.chain_id = $1 AND x.customer_id = $2 ORDER BY x.examined_at, x.id`,
  },
  {
    name: 'spectaclePrescriptions', item: 'spectaclePrescription', database: 'clinical',
    sql: `SELECT json_build_object(
        'id', p.id, 'storeId', p.store_id, 'examinationId', p.examination_id, 'issuedOn', p.issued_on,
        'prescriberId', p.prescriber_id, 'prescriberName', p.prescriber_name,
        'prescriberRegistrationNumber', p.prescriber_registration_number, 'outcome', p.outcome,
        'right', json_build_object('sphere', p.right_sphere, 'cylinder', p.right_cylinder, 'axis', p.right_axis,
          'nearAdd', p.right_near_add, 'prismHorizontal', p.right_prism_horizontal, 'prismHorizontalBase', p.right_prism_horizontal_base,
          'prismVertical', p.right_prism_vertical, 'prismVerticalBase', p.right_prism_vertical_base),
        'left', json_build_object('sphere', p.left_sphere, 'cylinder', p.left_cylinder, 'axis', p.left_axis,
          'nearAdd', p.left_near_add, 'prismHorizontal', p.left_prism_horizontal, 'prismHorizontalBase', p.left_prism_horizontal_base,
          'prismVertical', p.left_prism_vertical, 'prismVerticalBase', p.left_prism_vertical_base),
        'notes', p.notes, 'createdAt', p.created_at) AS r
      FROM spectacle_prescription p WHERE p.chain_id = $1 AND p.customer_id = $2 ORDER BY p.issued_on, p.created_at, p.id`,
  },
  {
    name: 'contactLensSpecifications', item: 'contactLensSpecification', database: 'clinical',
    sql: `SELECT json_build_object(
        'id', p.id, 'storeId', p.store_id, 'examinationId', p.examination_id, 'issuedOn', p.issued_on,
        'prescriberId', p.prescriber_id, 'prescriberName', p.prescriber_name,
        'prescriberRegistrationNumber', p.prescriber_registration_number, 'expiresOn', p.expires_on,
        'patientDateOfBirth', p.patient_date_of_birth, 'replacement', p.replacement,
        'right', json_build_object('brand', p.right_brand, 'design', p.right_design, 'material', p.right_material,
          'baseCurve', p.right_base_curve, 'diameter', p.right_diameter, 'power', p.right_power, 'cylinder', p.right_cylinder,
          'axis', p.right_axis, 'nearAdd', p.right_near_add),
        'left', json_build_object('brand', p.left_brand, 'design', p.left_design, 'material', p.left_material,
          'baseCurve', p.left_base_curve, 'diameter', p.left_diameter, 'power', p.left_power, 'cylinder', p.left_cylinder,
          'axis', p.left_axis, 'nearAdd', p.left_near_add),
        'createdAt', p.created_at) AS r
      FROM contact_lens_specification p WHERE p.chain_id = $1 AND p.customer_id = $2 ORDER BY p.issued_on, p.created_at, p.id`,
  },
  {
    name: 'clinicalNotes', item: 'clinicalNote', database: 'clinical',
    sql: `SELECT json_build_object(
        'id', n.id, 'storeId', n.store_id, 'examinationId', n.examination_id, 'authorId', n.author_id,
        'subjective', n.subjective, 'objective', n.objective, 'assessment', n.assessment, 'plan', n.plan,
        'encryptedSoapNote', CASE WHEN n.soap_ciphertext IS NULL THEN NULL ELSE json_build_object(
          'notice', '${ENCRYPTED_SOAP_NOTICE}', 'keyId', n.soap_key_id, 'algorithm', n.soap_algorithm,
          'iv', n.soap_iv, 'ciphertext', n.soap_ciphertext) END,
        'createdAt', n.created_at) AS r
      FROM clinical_note n WHERE n.chain_id = $1 AND n.customer_id = $2 ORDER BY n.created_at, n.id`,
  },
  {
    name: 'accessLog', item: 'accessLogEntry', database: 'clinical',
    sql: `SELECT json_build_object(
        'id', l.id::text, 'occurredAt', l.occurred_at, 'userId', l.user_id, 'storeId', l.store_id, 'subject', l.subject,
        'recordIds', l.record_ids, 'fields', l.fields, 'outcome', l.outcome, 'purpose', l.purpose,
        'operationName', l.operation_name, 'emergencyAccessId', l.emergency_access_id) AS r
      FROM clinical_access_log_entry l WHERE l.chain_id = $1 AND l.customer_id = $2 ORDER BY l.seq`,
  },
];

/** XML item names of nested JSON arrays. */
export const ITEM_NAMES: Readonly<Record<string, string>> = {
  refractions: 'refraction', visualAcuities: 'visualAcuity', intraocularPressures: 'intraocularPressure',
  recordIds: 'recordId', fields: 'field',
};

/** Keys whose value is filled in by the export from the core database (staff names for clinical rows). */
export const STAFF_NAME_KEYS: Readonly<Record<string, string>> = {
  practitionerId: 'practitionerName', signedById: 'signedByName', authorId: 'authorName', userId: 'userName',
};
