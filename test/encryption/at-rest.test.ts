/**
 * Clinical free text encrypted at rest (issue 15, item 3): what the API writes and what the demo seed wrote is
 * stored only as AES-256-GCM envelopes, in the records and in the clinical change log alike, read as the
 * database's owner; the API, the change log review and the customer's data export still give the text back;
 * the database refuses plaintext in those columns; roles without the right get FORBIDDEN (and nothing is
 * decrypted for them); the hash chains still verify.
 */
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { signInAll, SignedInClient } from '../support/actors';
import { decryptStored, EXAMINATION_TEXT, NOTE_TEXT } from '../support/clinical-ciphertext';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { CLINICAL_TEXT_TABLES, READ_TEXT, rowsContaining, writeClinicalText, WrittenText } from './encryption-support';

/** The demo seed's clinical free text (src/seed/demo-seed.ts), as the README's demo shows it. */
const SEEDED_TEXT = ['Reports occasional eye strain with screen use.', 'Anterior eyes healthy. Fundi unremarkable.', 'Recall in two years.',
  'No relevant ocular history. General health good.', 'Headaches when reading'];

describe('clinical free text encrypted at rest', () => {
  let app: TestApp;
  let as: Record<'leedsOptometrist' | 'leedsReception' | 'dpo', SignedInClient>;
  let written: WrittenText;

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['leedsOptometrist', 'leedsReception', 'dpo']);
    written = await writeClinicalText(app, as.leedsOptometrist);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('holds no plaintext of written or seeded text in any clinical table, the change log included (read as the owner)', async () => {
    const tables: string[] = (await app.ownerClinical.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((r: { tablename: string }) => r.tablename);
    expect(tables).toEqual(expect.arrayContaining(CLINICAL_TEXT_TABLES));
    for (const text of [...Object.values(written.texts), 'First history', ...SEEDED_TEXT]) {
      for (const table of tables) expect({ table, text, rows: await rowsContaining(app.ownerClinical, table, text) }).toEqual({ table, text, rows: 0 });
    }
    // The seed did write such text: it is there, encrypted.
    const [{ n }] = await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_note WHERE subjective LIKE 'enc:v1:%'`);
    expect(n).toBeGreaterThan(0);
  });

  it('stores envelopes that open with the chain key to the written text, in the rows and in the change log', async () => {
    const [exam] = await app.ownerClinical.query('SELECT reason_for_visit, history, data_key_id FROM examination WHERE id = $1', [written.examId]);
    const [note] = await app.ownerClinical.query('SELECT subjective, objective, assessment, plan, data_key_id FROM clinical_note WHERE id = $1', [written.noteId]);
    for (const [column, field] of Object.entries(EXAMINATION_TEXT)) {
      expect(exam[column]).toMatch(new RegExp(`^enc:v1:${exam.data_key_id}:`));
      expect(await decryptStored(app.ownerClinical, 'Examination', field, written.examId, exam[column])).toBe(written.texts[field as 'history']);
    }
    for (const [column, field] of Object.entries(NOTE_TEXT)) {
      expect(await decryptStored(app.ownerClinical, 'ClinicalNote', field, written.noteId, note[column])).toBe(written.texts[field as 'plan']);
    }
    // An envelope is bound to its record and field: opened as another field, it fails.
    await expect(decryptStored(app.ownerClinical, 'ClinicalNote', 'plan', written.noteId, note.subjective)).rejects.toThrow();
    // The change log holds the envelopes (create, then the history's update: before and after).
    const entries: { action: string; changes: Record<string, { before: unknown; after: unknown }> }[] = await app.ownerClinical.query(
      `SELECT action::text AS action, changes FROM clinical_change_log_entry WHERE record_id = $1 ORDER BY seq`, [written.examId]);
    expect(entries.map((e) => e.action)).toEqual(['CREATE', 'UPDATE']);
    const update = entries[1].changes.history;
    expect(Object.keys(entries[1].changes)).toEqual(['history']);
    expect(await decryptStored(app.ownerClinical, 'Examination', 'history', written.examId, update.before)).toBe('First history');
    expect(await decryptStored(app.ownerClinical, 'Examination', 'history', written.examId, update.after)).toBe(written.texts.history);
  });

  it('gives the text back through the API, the change log review and the customer data export', async () => {
    const read = await as.leedsOptometrist.request<{ customer: { examinations: { id: string; reasonForVisit: string; history: string }[]; clinicalNotes: Record<string, string>[] } }>(READ_TEXT, { id: written.customerId });
    expect(read.errors).toBeUndefined();
    expect(read.data!.customer.examinations.find((e) => e.id === written.examId)).toEqual({ id: written.examId, reasonForVisit: written.texts.reasonForVisit, history: written.texts.history });
    const { subjective, objective, assessment, plan } = written.texts;
    expect(read.data!.customer.clinicalNotes.find((n) => n.id === written.noteId)).toEqual({ id: written.noteId, subjective, objective, assessment, plan });

    const log = await as.dpo.request<{ dataChangeLog: { edges: { node: { action: string; changes: { field: string; before: unknown; after: unknown }[] } }[] } }>(
      `query($r: ID) { dataChangeLog(recordId: $r, first: 10) { edges { node { action changes { field before after } } } } }`, { r: written.examId });
    expect(log.errors).toBeUndefined();
    const update = log.data!.dataChangeLog.edges.find((e) => e.node.action === 'UPDATE')!.node;
    expect(update.changes).toEqual([{ field: 'history', before: 'First history', after: written.texts.history }]);

    const response = await fetch(`${app.url.replace(/\/graphql$/, '')}/exports/customers/${written.customerId}?format=json`, { headers: { authorization: `Bearer ${as.dpo.token}` } });
    expect(response.status).toBe(200);
    const doc = await response.json() as { examinations: Record<string, unknown>[]; clinicalNotes: Record<string, unknown>[] };
    expect(doc.examinations.find((e) => e.id === written.examId)).toMatchObject({ reasonForVisit: written.texts.reasonForVisit, history: written.texts.history });
    expect(doc.clinicalNotes.find((n) => n.id === written.noteId)).toMatchObject({ subjective, objective, assessment, plan });
  });

  it('leaves the stored value when an update gives the text it already has (no change, no log entry)', async () => {
    const [before] = await app.ownerClinical.query('SELECT history FROM examination WHERE id = $1', [written.examId]);
    const again = await as.leedsOptometrist.request('mutation($id: ID!, $input: UpdateExaminationInput!) { updateExamination(id: $id, input: $input) { history } }',
      { id: written.examId, input: { history: `  ${written.texts.history} ` } });
    expect(again.errors).toBeUndefined();
    expect((again.data as { updateExamination: { history: string } }).updateExamination.history).toBe(written.texts.history);
    expect((await app.ownerClinical.query('SELECT history FROM examination WHERE id = $1', [written.examId]))[0]).toEqual(before);
    const [{ n }] = await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_change_log_entry WHERE record_id = $1 AND changes ? 'history'`, [written.examId]);
    expect(n).toBe(2);
  });

  it('refuses plaintext in the encrypted columns, even from the owner', async () => {
    await expect(app.ownerClinical.query(`UPDATE clinical_note SET plan = 'plain words' WHERE id = $1`, [written.noteId])).rejects.toThrow(/CHK_clinical_note_encrypted/);
    await expect(app.ownerClinical.query(`UPDATE examination SET history = 'plain words' WHERE id = $1`, [written.examId])).rejects.toThrow(/CHK_examination_encrypted/);
  });

  it('answers FORBIDDEN for the encrypted fields to a role without clinical read (the receptionist)', async () => {
    const read = await as.leedsReception.request<{ customer: { clinicalNotes: unknown; examinations: unknown } | null }>(READ_TEXT, { id: written.customerId });
    expect(errorCodes(read)).toContain('FORBIDDEN');
    expect(JSON.stringify(read.data)).not.toContain(written.texts.subjective);
    expect(JSON.stringify(read.data)).not.toContain(written.texts.history);
  });

  it('keeps every hash chain verifying (npm run audit:verify)', async () => {
    const report = await runAuditVerify({ core: app.ownerCore, clinical: app.ownerClinical });
    expect(report.lines.filter((line) => line.includes('FAIL'))).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
