/**
 * A customer's clinical records, as the erasure and the disposal see them (the clinical database; no foreign key
 * crosses to core): whether any exist and the last clinical contact (`clinicalHolding`), and deleting them all
 * with their findings after the retention period (`deleteClinicalRecords`). Examinations, spectacle
 * prescriptions, contact lens specifications and clinical notes are clinical records; refractions, visual
 * acuities and pressures are an examination's findings.
 */
import { EntityManager } from 'typeorm';

/** What the clinical database holds of one customer. */
export interface ClinicalHolding {
  /** Examinations, spectacle prescriptions, contact lens specifications and clinical notes. */
  records: number;
  /** The latest examination, prescription, specification or note date (UTC date, `YYYY-MM-DD`); null without records. */
  lastContact: string | null;
}

export async function clinicalHolding(clinical: EntityManager, chainId: string, customerId: string): Promise<ClinicalHolding> {
  const [row] = (await clinical.query(
    `SELECT count(*)::int AS records, to_char(max(d), 'YYYY-MM-DD') AS "lastContact" FROM (
       SELECT (examined_at AT TIME ZONE 'UTC')::date AS d FROM examination WHERE chain_id = $1 AND customer_id = $2
       UNION ALL SELECT issued_on FROM spectacle_prescription WHERE chain_id = $1 AND customer_id = $2
       UNION ALL SELECT issued_on FROM contact_lens_specification WHERE chain_id = $1 AND customer_id = $2
       UNION ALL SELECT (created_at AT TIME ZONE 'UTC')::date FROM clinical_note WHERE chain_id = $1 AND customer_id = $2
     ) r`,
    [chainId, customerId],
  )) as { records: number; lastContact: string | null }[];
  return row;
}

/** One deleted clinical row: its table's record type, the catalog subject it is logged under, its id and store. */
export interface DeletedRecord {
  recordType: string;
  subject: string;
  id: string;
  storeId: string;
}

/** Deletion order: findings and the records that point at an examination before the examinations. */
const TABLES: readonly { table: string; recordType: string; subject: string }[] = [
  { table: 'refraction', recordType: 'Refraction', subject: 'Examination' },
  { table: 'visual_acuity', recordType: 'VisualAcuity', subject: 'Examination' },
  { table: 'intraocular_pressure', recordType: 'IntraocularPressure', subject: 'Examination' },
  { table: 'clinical_note', recordType: 'ClinicalNote', subject: 'ClinicalNote' },
  { table: 'spectacle_prescription', recordType: 'SpectaclePrescription', subject: 'SpectaclePrescription' },
  { table: 'contact_lens_specification', recordType: 'ContactLensSpecification', subject: 'ContactLensSpecification' },
  { table: 'examination', recordType: 'Examination', subject: 'Examination' },
];

/** Deletes every clinical record of the customer and its findings in `tx`; returns what was deleted. */
export async function deleteClinicalRecords(tx: EntityManager, chainId: string, customerId: string): Promise<DeletedRecord[]> {
  const deleted: DeletedRecord[] = [];
  for (const { table, recordType, subject } of TABLES) {
    const rows = (await tx.query(
      `DELETE FROM ${table} WHERE chain_id = $1 AND customer_id = $2 RETURNING id::text AS id, store_id::text AS "storeId"`,
      [chainId, customerId],
    )) as [{ id: string; storeId: string }[], number] | { id: string; storeId: string }[];
    // TypeORM's query() answers a DELETE … RETURNING with [rows, count] on PostgreSQL.
    const list = Array.isArray(rows[0]) ? (rows as [{ id: string; storeId: string }[], number])[0] : (rows as { id: string; storeId: string }[]);
    for (const r of list) deleted.push({ recordType, subject, id: r.id, storeId: r.storeId });
  }
  return deleted;
}
