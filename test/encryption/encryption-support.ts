/**
 * Helpers of the encryption suites: a Leeds customer, a note and an examination written through the API by the
 * Leeds optometrist with unique text, and a search of whole tables (every column as text) for a string.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SignedInClient } from '../support/actors';
import type { TestApp } from '../support/test-app';

export const CLINICAL_TEXT_TABLES = ['examination', 'clinical_note', 'clinical_change_log_entry', 'clinical_access_log_entry', 'clinical_data_key', 'clinical_key_rotation'];

export async function leedsCustomer(app: TestApp, n = 0): Promise<{ customerId: string; storeId: string; chainId: string }> {
  const rows: { customerId: string; storeId: string; chainId: string }[] = await app.ownerCore.query(
    `SELECT c.id AS "customerId", s.id AS "storeId", c.chain_id AS "chainId" FROM customer c JOIN store s ON s.id = c.home_store_id
      WHERE s.name = 'Leeds' AND c.status = 'ACTIVE' ORDER BY c.id OFFSET $1 LIMIT 1`, [n]);
  return rows[0];
}

export interface WrittenText {
  examId: string;
  noteId: string;
  customerId: string;
  texts: { reasonForVisit: string; history: string; subjective: string; objective: string; assessment: string; plan: string };
}

/** Writes an examination (then updates its history) and a note with unique text, as `optometrist`. */
export async function writeClinicalText(app: TestApp, optometrist: SignedInClient, n = 0): Promise<WrittenText> {
  const { customerId, storeId } = await leedsCustomer(app, n);
  const tag = randomUUID().slice(0, 8);
  const texts = {
    reasonForVisit: `Flashing lights in the left eye ${tag}`, history: `Father had glaucoma ${tag}`,
    subjective: `Sees halos at night ${tag}`, objective: `Mild nuclear sclerosis ${tag}`, assessment: `Early cataract ${tag}`, plan: `Review in six months ${tag}`,
  };
  const created = await optometrist.request<{ createExamination: { id: string } }>(
    'mutation($input: CreateExaminationInput!) { createExamination(input: $input) { id } }',
    { input: { customerId, storeId, reasonForVisit: texts.reasonForVisit, history: 'First history' } },
  );
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  const examId = created.data.createExamination.id;
  const updated = await optometrist.request('mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { id } }',
    { id: examId, input: { history: texts.history } });
  if (updated.errors) throw new Error(JSON.stringify(updated.errors));
  const note = await optometrist.request<{ addClinicalNote: { id: string } }>(
    'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id } }',
    { input: { customerId, storeId, examinationId: examId, subjective: texts.subjective, objective: texts.objective, assessment: texts.assessment, plan: texts.plan } },
  );
  if (!note.data) throw new Error(JSON.stringify(note.errors));
  return { examId, noteId: note.data.addClinicalNote.id, customerId, texts };
}

/** Rows of `table` (every column, as PostgreSQL renders the row as text) that contain `needle`. */
export async function rowsContaining(db: DataSource, table: string, needle: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, $1) > 0`, [needle]);
  return row.n;
}

export const READ_TEXT = `query($id: ID!) { customer(id: $id) {
  examinations { id reasonForVisit history }
  clinicalNotes { id subjective objective assessment plan }
} }`;
