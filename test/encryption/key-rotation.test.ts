/**
 * `npm run keys:rotate` (src/crypto/key-rotation.ts): interrupted mid-way (a crash after the first batch), the
 * rotation is recorded as RUNNING with its progress, rows sit under both the old and the new keys, and the API
 * still reads every one of them; run again, it resumes and finishes: every encrypted row under its chain's new
 * data key, every data key wrapped under the new master key (which replaced the old in the key file), the text
 * unchanged, the change log's older envelopes still readable, and the hash chains verifying.
 * The suite uses a copy of the run's master key file: the rotation swaps the file it is given.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rotateKeys } from '../../src/crypto/key-rotation';
import { runAuditVerify } from '../../src/hash-chain/verify-report';
import { signInAll, SignedInClient } from '../support/actors';
import { decryptStored, masterKeyOf } from '../support/clinical-ciphertext';
import { startTestApp, TestApp } from '../support/test-app';
import { READ_TEXT, writeClinicalText, WrittenText } from './encryption-support';

describe('key rotation, interrupted and resumed', () => {
  let app: TestApp;
  let as: Record<'leedsOptometrist' | 'dpo', SignedInClient>;
  let written: WrittenText;
  let dir: string;
  let keyFile: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-keys-'));
    keyFile = path.join(dir, 'master.key');
    fs.copyFileSync(process.env.VISUS_MASTER_KEY_FILE as string, keyFile);
    app = await startTestApp({ masterKeyFile: keyFile });
    as = await signInAll(app, ['leedsOptometrist', 'dpo']);
    written = await writeClinicalText(app, as.leedsOptometrist);
  });

  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function keyOfRows(): Promise<{ stale: number; total: number }> {
    const [row] = await app.ownerClinical.query(`SELECT
        (SELECT count(*)::int FROM (SELECT chain_id, data_key_id FROM clinical_note UNION ALL SELECT chain_id, data_key_id FROM examination) t
          WHERE t.data_key_id IS DISTINCT FROM (SELECT k.id FROM clinical_data_key k WHERE k.chain_id = t.chain_id AND k.retired_at IS NULL)) AS stale,
        (SELECT count(*)::int FROM clinical_note) + (SELECT count(*)::int FROM examination) AS total`);
    return row;
  }

  async function apiText(): Promise<unknown> {
    const read = await as.leedsOptometrist.request<{ customer: { examinations: { id: string; history: string }[]; clinicalNotes: { id: string; plan: string }[] } }>(READ_TEXT, { id: written.customerId });
    expect(read.errors).toBeUndefined();
    return {
      history: read.data!.customer.examinations.find((e) => e.id === written.examId)?.history,
      plan: read.data!.customer.clinicalNotes.find((n) => n.id === written.noteId)?.plan,
    };
  }

  it('stops after a batch, resumes to completion with every row under the new keys, and the text and chains intact', async () => {
    const oldMaster = masterKeyOf(keyFile);
    const [{ oldKeys }] = await app.ownerClinical.query(`SELECT array_agg(id::text) AS "oldKeys" FROM clinical_data_key`);
    const before = await keyOfRows();
    expect(before.stale).toBe(0);
    expect(before.total).toBeGreaterThan(100);

    // Interrupted: the progress callback throws after the first committed batch, as a crash would stop it.
    let batches = 0;
    await expect(rotateKeys(app.ownerClinical, {
      masterKeyFile: keyFile, batchSize: 40,
      onProgress: (done) => {
        if (done > 0 && ++batches === 1) throw new Error('interrupted');
      },
    })).rejects.toThrow('interrupted');
    const [running] = await app.ownerClinical.query(`SELECT state::text AS state, rows_done AS "rowsDone", rows_total AS "rowsTotal" FROM clinical_key_rotation`);
    expect(running).toEqual({ state: 'RUNNING', rowsDone: 40, rowsTotal: before.total });
    const midway = await keyOfRows();
    expect(midway.stale).toBe(before.total - 40);
    expect(fs.existsSync(`${keyFile}.next`)).toBe(true);
    // Mid-way the API reads rows under the old and the new keys alike (it reads the next key beside its own).
    expect(await apiText()).toEqual({ history: written.texts.history, plan: written.texts.plan });

    // Resumed: the same next key, the recorded progress, to completion.
    const seen: number[] = [];
    const result = await rotateKeys(app.ownerClinical, { masterKeyFile: keyFile, batchSize: 40, onProgress: (done) => seen.push(done) });
    expect(result.resumed).toBe(true);
    expect(seen[0]).toBe(40);
    expect(result.rowsDone).toBe(before.total);
    const [done] = await app.ownerClinical.query(`SELECT state::text AS state, rows_done AS "rowsDone", finished_at IS NOT NULL AS finished FROM clinical_key_rotation`);
    expect(done).toEqual({ state: 'DONE', rowsDone: before.total, finished: true });
    expect((await keyOfRows()).stale).toBe(0);

    // The key file now holds the new master key; the old one is kept aside; every data key is wrapped under the new one.
    const newMaster = masterKeyOf(keyFile);
    expect(newMaster.equals(oldMaster)).toBe(false);
    expect(masterKeyOf(`${keyFile}.retired-${result.fromMasterKeyId}`).equals(oldMaster)).toBe(true);
    expect(fs.existsSync(`${keyFile}.next`)).toBe(false);
    const keys: { id: string; masterKeyId: string; retired: boolean; rotationId: string | null }[] = await app.ownerClinical.query(
      `SELECT id::text AS id, master_key_id AS "masterKeyId", retired_at IS NOT NULL AS retired, rotation_id::text AS "rotationId" FROM clinical_data_key`);
    expect(new Set(keys.map((k) => k.masterKeyId))).toEqual(new Set([result.toMasterKeyId]));
    expect(keys.filter((k) => !k.retired).every((k) => k.rotationId === result.rotationId)).toBe(true);
    expect(keys.filter((k) => oldKeys.includes(k.id)).every((k) => k.retired)).toBe(true);

    // The rows open with the new master key only, to the same text.
    const [note] = await app.ownerClinical.query('SELECT plan, data_key_id::text AS key FROM clinical_note WHERE id = $1', [written.noteId]);
    expect(oldKeys).not.toContain(note.key);
    expect(await decryptStored(app.ownerClinical, 'ClinicalNote', 'plan', written.noteId, note.plan, newMaster)).toBe(written.texts.plan);
    await expect(decryptStored(app.ownerClinical, 'ClinicalNote', 'plan', written.noteId, note.plan, oldMaster)).rejects.toThrow();
    // The change log still holds the envelopes written before (under a retired key), and they still open.
    const [entry] = await app.ownerClinical.query(`SELECT changes->'history'->>'after' AS after FROM clinical_change_log_entry WHERE record_id = $1 AND action = 'UPDATE'`, [written.examId]);
    expect(await decryptStored(app.ownerClinical, 'Examination', 'history', written.examId, entry.after, newMaster)).toBe(written.texts.history);
    const log = await as.dpo.request<{ dataChangeLog: { edges: { node: { action: string; changes: { field: string; after: unknown }[] } }[] } }>(
      `query($r: ID) { dataChangeLog(recordId: $r, first: 10) { edges { node { action changes { field after } } } } }`, { r: written.examId });
    expect(log.data!.dataChangeLog.edges.find((e) => e.node.action === 'UPDATE')!.node.changes).toEqual([{ field: 'history', after: written.texts.history }]);

    // The API still reads it all, and writes under the new keys.
    expect(await apiText()).toEqual({ history: written.texts.history, plan: written.texts.plan });
    const next = await writeClinicalText(app, as.leedsOptometrist, 1);
    const [row] = await app.ownerClinical.query('SELECT data_key_id::text AS key FROM clinical_note WHERE id = $1', [next.noteId]);
    expect(keys.find((k) => k.id === row.key)).toMatchObject({ retired: false, rotationId: result.rotationId });

    const report = await runAuditVerify({ core: app.ownerCore, clinical: app.ownerClinical });
    expect(report.lines.filter((line) => line.includes('FAIL'))).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
