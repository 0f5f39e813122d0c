/**
 * Client-side-encrypted SOAP notes (issue 15, item 4), through the real API: the chain manager turns the chain's
 * option on (kept in the security settings history; FORBIDDEN to a store manager); the client helper encrypts a note
 * with a practice key, addClinicalNote stores it, the database (read as its owner) holds no plaintext anywhere, only
 * the ciphertext (in the note and in the change log), the API returns the ciphertext and the helper opens it to the
 * original; plaintext parts are refused while the option is on, encrypted input while it is off, bad shapes always
 * (BAD_USER_INPUT naming the field); a role without clinical read gets FORBIDDEN; the read is in the access log; the
 * customer's export (JSON and XML, valid against the XSD) shows the ciphertext with "encrypted by the practice; ask
 * the practice for the key"; the demo's Lakeside chain has it on with the README's demo key.
 */
import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { decryptSoapNote, encryptSoapNote, generateSoapNoteKey, importSoapNoteKey } from '../../src/client/soap-note-crypto';
import { signInAll, SignedInClient } from '../support/actors';
import { errorCodes, GraphQLResult } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';
import { getExport, validateAgainstXsd } from '../customer-export/export-support';
import { CLINICAL_TEXT_TABLES, leedsCustomer, rowsContaining } from './encryption-support';

const POLICY = '{ clientSideSoapNotes practiceKeyIds isDefault updatedAt }';
const UPDATE_POLICY = `mutation($input: UpdateClinicalEncryptionPolicyInput!) { updateClinicalEncryptionPolicy(input: $input) ${POLICY} }`;
const ADD_NOTE = 'mutation($input: AddClinicalNoteInput!) { addClinicalNote(input: $input) { id customerId subjective plan encryptedSoapNote { keyId algorithm iv ciphertext } } }';
const NOTES_OF = 'query($id: ID!) { customer(id: $id) { clinicalNotes { id customerId subjective objective assessment plan encryptedSoapNote { keyId algorithm iv ciphertext } } } }';
const NOTICE = 'encrypted by the practice; ask the practice for the key';
/** The README's demo practice key of Lakeside Eyecare. */
const README_DEMO_KEY = { keyId: 'lakeside-demo-2026', key: 'bGFrZXNpZGUtZGVtby1wcmFjdGljZS1rZXktMjAyNiE=' };

type Note = { id: string; customerId: string; subjective: string | null; objective?: string | null; assessment?: string | null; plan: string | null; encryptedSoapNote: { keyId: string; algorithm: string; iv: string; ciphertext: string } | null };

function badField(result: GraphQLResult<unknown>): string | undefined {
  const error = result.errors?.[0] as { extensions?: { code?: string; field?: string } } | undefined;
  return error?.extensions?.code === 'BAD_USER_INPUT' ? String(error.extensions.field ?? error) : `not BAD_USER_INPUT: ${JSON.stringify(result.errors)}`;
}

describe('client-side-encrypted SOAP notes', () => {
  let app: TestApp;
  let as: Record<'chainManager' | 'leedsManager' | 'leedsOptometrist' | 'leedsReception' | 'dpo' | 'lakesideManager', SignedInClient>;
  let target: { customerId: string; storeId: string };
  const tag = randomUUID().slice(0, 8);
  const soap = { subjective: `Halos around lights ${tag}`, objective: `Lens opacity ${tag}`, assessment: `Cataract ${tag}`, plan: `Refer ${tag}` };

  beforeAll(async () => {
    app = await startTestApp();
    as = await signInAll(app, ['chainManager', 'leedsManager', 'leedsOptometrist', 'leedsReception', 'dpo', 'lakesideManager']);
    const { customerId, storeId } = await leedsCustomer(app, 3);
    target = { customerId, storeId };
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('is off by default; encrypted input is then refused naming the field', async () => {
    const read = await as.chainManager.request<{ clinicalEncryptionPolicy: unknown }>(`{ clinicalEncryptionPolicy ${POLICY} }`);
    expect(read.data?.clinicalEncryptionPolicy).toEqual({ clientSideSoapNotes: false, practiceKeyIds: [], isDefault: true, updatedAt: null });
    const key = await generateSoapNoteKey();
    const encryptedSoapNote = await encryptSoapNote(key, 'k1', target.customerId, soap);
    expect(badField(await as.leedsOptometrist.request(ADD_NOTE, { input: { ...target, encryptedSoapNote } }))).toBe('input.encryptedSoapNote');
  });

  it('may be read and changed only by chain-level roles: a store manager gets FORBIDDEN', async () => {
    expect(errorCodes(await as.leedsManager.request(`{ clinicalEncryptionPolicy ${POLICY} }`))).toContain('FORBIDDEN');
    expect(errorCodes(await as.leedsManager.request(UPDATE_POLICY, { input: { clientSideSoapNotes: true } }))).toContain('FORBIDDEN');
    expect(errorCodes(await as.leedsOptometrist.request(UPDATE_POLICY, { input: { clientSideSoapNotes: true } }))).toContain('FORBIDDEN');
    expect(badField(await as.chainManager.request(UPDATE_POLICY, { input: { practiceKeyIds: ['bad key id'] } }))).toBe('input.practiceKeyIds[0]');
    expect(badField(await as.chainManager.request(UPDATE_POLICY, { input: {} }))).toBe('input');
  });

  it('is turned on by the chain manager and kept in the security settings history', async () => {
    const updated = await as.chainManager.request<{ updateClinicalEncryptionPolicy: Record<string, unknown> }>(UPDATE_POLICY, { input: { clientSideSoapNotes: true, practiceKeyIds: ['practice-2026', 'practice-2025'] } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateClinicalEncryptionPolicy).toMatchObject({ clientSideSoapNotes: true, practiceKeyIds: ['practice-2025', 'practice-2026'], isDefault: false });
    const history: { before: Record<string, unknown>; after: Record<string, unknown> }[] = await app.ownerCore.query(
      `SELECT before, after FROM security_setting_change WHERE setting = 'ClinicalEncryptionPolicy' ORDER BY seq`);
    expect(history).toEqual([{ before: { clientSideSoapNotes: false, practiceKeyIds: [], isDefault: true }, after: { clientSideSoapNotes: true, practiceKeyIds: ['practice-2025', 'practice-2026'], isDefault: false } }]);
  });

  it('refuses plaintext parts while on, naming the field, and a note without encryptedSoapNote', async () => {
    expect(badField(await as.leedsOptometrist.request(ADD_NOTE, { input: { ...target, plan: 'plain words' } }))).toBe('input.plan');
    expect(badField(await as.leedsOptometrist.request(ADD_NOTE, { input: { ...target, subjective: '' } }))).toBe('input.subjective');
    expect(badField(await as.leedsOptometrist.request(ADD_NOTE, { input: { ...target } }))).toBe('input.encryptedSoapNote');
    const [{ n }] = await app.ownerClinical.query(`SELECT count(*)::int AS n FROM clinical_note WHERE customer_id = $1 AND created_at > now() - interval '1 hour'`, [target.customerId]);
    expect(n).toBe(0);
  });

  it('refuses badly shaped ciphertext with BAD_USER_INPUT naming the field', async () => {
    const key = await generateSoapNoteKey();
    const good = await encryptSoapNote(key, 'practice-2026', target.customerId, soap);
    const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
    const cases: [Record<string, string>, string][] = [
      [{ keyId: 'practice-1999' }, 'keyId'], // not a current practice key id
      [{ keyId: 'has spaces' }, 'keyId'],
      [{ algorithm: 'AES-128-CBC' }, 'algorithm'],
      [{ iv: b64(16) }, 'iv'],
      [{ iv: 'not base64!!!!!!' }, 'iv'],
      [{ ciphertext: 'abc' }, 'ciphertext'],
      [{ ciphertext: b64(16) }, 'ciphertext'], // a tag and nothing else
      [{ ciphertext: b64(4 * 10_000 * 4 + 1025) }, 'ciphertext'],
    ];
    for (const [change, field] of cases) {
      const result = await as.leedsOptometrist.request(ADD_NOTE, { input: { ...target, encryptedSoapNote: { ...good, ...change } } });
      expect({ change, field: badField(result) }).toEqual({ change, field: `input.encryptedSoapNote.${field}` });
    }
  });

  describe('a round trip', () => {
    let key: Awaited<ReturnType<typeof generateSoapNoteKey>>;
    let note: Note;

    beforeAll(async () => {
      key = await generateSoapNoteKey();
      const encryptedSoapNote = await encryptSoapNote(key, 'practice-2026', target.customerId, soap);
      const added = await as.leedsOptometrist.request<{ addClinicalNote: Note }>(ADD_NOTE, { input: { ...target, encryptedSoapNote } });
      if (!added.data) throw new Error(JSON.stringify(added.errors));
      note = added.data.addClinicalNote;
      expect(note.encryptedSoapNote).toEqual(encryptedSoapNote);
      expect([note.subjective, note.plan]).toEqual([null, null]);
    });

    it('stores only the ciphertext: no plaintext in any clinical table (read as the owner), the change log holds the ciphertext', async () => {
      const tables: string[] = (await app.ownerClinical.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((r: { tablename: string }) => r.tablename);
      expect(tables).toEqual(expect.arrayContaining(CLINICAL_TEXT_TABLES));
      for (const text of [...Object.values(soap), tag]) {
        for (const table of tables) expect({ table, text, rows: await rowsContaining(app.ownerClinical, table, text) }).toEqual({ table, text, rows: 0 });
      }
      const [row] = await app.ownerClinical.query('SELECT subjective, objective, assessment, plan, data_key_id, soap_key_id, soap_algorithm, soap_iv, soap_ciphertext FROM clinical_note WHERE id = $1', [note.id]);
      expect(row).toEqual({ subjective: null, objective: null, assessment: null, plan: null, data_key_id: expect.any(String), soap_key_id: 'practice-2026', soap_algorithm: 'AES-256-GCM', soap_iv: note.encryptedSoapNote!.iv, soap_ciphertext: note.encryptedSoapNote!.ciphertext });
      const [entry] = await app.ownerClinical.query(`SELECT changes FROM clinical_change_log_entry WHERE record_id = $1 AND action = 'CREATE'`, [note.id]);
      expect(entry.changes.soapCiphertext.after).toBe(note.encryptedSoapNote!.ciphertext);
      expect(entry.changes.soapKeyId.after).toBe('practice-2026');
      // The database refuses plaintext beside the ciphertext, even from the owner.
      await expect(app.ownerClinical.query(`UPDATE clinical_note SET plan = 'enc:v1:x' WHERE id = $1`, [note.id])).rejects.toThrow(/CHK_clinical_note_client_encrypted/);
    });

    it('returns the ciphertext, which the helper opens to the original note (and an independent AES-GCM opens too)', async () => {
      const read = await as.leedsOptometrist.request<{ customer: { clinicalNotes: Note[] } }>(NOTES_OF, { id: target.customerId });
      expect(read.errors).toBeUndefined();
      const found = read.data!.customer.clinicalNotes.find((n) => n.id === note.id)!;
      expect([found.subjective, found.objective, found.assessment, found.plan]).toEqual([null, null, null, null]);
      expect(await decryptSoapNote(key, found)).toEqual(soap);
      // Oracle: node:crypto with the documented format (AAD visus-soap-v1|customer|keyId, tag last).
      const raw = Buffer.from(await globalThis.crypto.subtle.exportKey('raw', key));
      const sealed = Buffer.from(found.encryptedSoapNote!.ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', raw, Buffer.from(found.encryptedSoapNote!.iv, 'base64'));
      decipher.setAAD(Buffer.from(`visus-soap-v1|${target.customerId}|practice-2026`));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
      expect(JSON.parse(plain)).toEqual(soap);
    });

    it('logs the read like a clinical read', async () => {
      const rows: { outcome: string }[] = await app.clinical.query(
        `SELECT outcome::text AS outcome FROM clinical_access_log_entry WHERE subject = 'ClinicalNote' AND $1 = ANY(record_ids) AND 'encryptedSoapNote' = ANY(fields)`, [note.id]);
      expect(rows.map((r) => r.outcome)).toContain('GRANTED');
    });

    it('is FORBIDDEN to a role without clinical read (the receptionist), and the refusal is logged', async () => {
      const read = await as.leedsReception.request<{ customer: { clinicalNotes: Note[] | null } }>(NOTES_OF, { id: target.customerId });
      expect(errorCodes(read)).toContain('FORBIDDEN');
      expect(read.data?.customer?.clinicalNotes ?? null).toBeNull();
      expect(JSON.stringify(read)).not.toContain(note.encryptedSoapNote!.ciphertext);
      const [{ n }] = await app.clinical.query(
        `SELECT count(*)::int AS n FROM clinical_access_log_entry WHERE subject = 'ClinicalNote' AND outcome = 'DENIED' AND customer_id = $1`, [target.customerId]);
      expect(n).toBeGreaterThan(0);
    });

    it('is in the customer’s export as ciphertext, key id and algorithm with the practice wording (JSON, and XML valid against the XSD)', async () => {
      const json = await getExport(app, as.dpo.token, target.customerId, 'format=json');
      expect(json.status).toBe(200);
      const doc = JSON.parse(json.text) as { clinicalNotes: Record<string, unknown>[] };
      expect(doc.clinicalNotes.find((n) => n.id === note.id)).toMatchObject({
        subjective: null, plan: null,
        encryptedSoapNote: { notice: NOTICE, keyId: 'practice-2026', algorithm: 'AES-256-GCM', iv: note.encryptedSoapNote!.iv, ciphertext: note.encryptedSoapNote!.ciphertext },
      });
      const xml = await getExport(app, as.dpo.token, target.customerId, 'format=xml');
      expect(xml.status).toBe(200);
      expect(xml.text).toContain(`<notice>${NOTICE}</notice>`);
      expect(xml.text).toContain(`<ciphertext>${note.encryptedSoapNote!.ciphertext}</ciphertext>`);
      expect(await validateAgainstXsd(xml.text)).toEqual({ valid: true, errors: [] });
      for (const text of Object.values(soap)) expect(json.text + xml.text).not.toContain(text);
    });
  });

  it('switching it off is a weakening (a security event) and plaintext notes are accepted again', async () => {
    const off = await as.chainManager.request(UPDATE_POLICY, { input: { clientSideSoapNotes: false } });
    expect(off.errors).toBeUndefined();
    const [{ n }] = await app.ownerCore.query(`SELECT count(*)::int AS n FROM security_event WHERE kind = 'SETTING_WEAKENED' AND setting = 'ClinicalEncryptionPolicy.clientSideSoapNotes'`);
    expect(n).toBe(1);
    const plain = await as.leedsOptometrist.request<{ addClinicalNote: Note }>(ADD_NOTE, { input: { ...target, plan: `Plain again ${tag}` } });
    expect(plain.errors).toBeUndefined();
    expect(plain.data!.addClinicalNote).toMatchObject({ plan: `Plain again ${tag}`, encryptedSoapNote: null });
  });

  it('the demo: Lakeside Eyecare has it on, its notes open with the README’s demo key', async () => {
    const policy = await as.lakesideManager.request<{ clinicalEncryptionPolicy: Record<string, unknown> }>(`{ clinicalEncryptionPolicy ${POLICY} }`);
    expect(policy.data!.clinicalEncryptionPolicy).toMatchObject({ clientSideSoapNotes: true, practiceKeyIds: [README_DEMO_KEY.keyId] });
    const [seeded] = await app.ownerClinical.query(
      `SELECT customer_id AS "customerId" FROM clinical_note WHERE soap_key_id = $1 ORDER BY id LIMIT 1`, [README_DEMO_KEY.keyId]) as { customerId: string }[];
    expect(seeded).toBeDefined();
    const read = await as.lakesideManager.request<{ customer: { clinicalNotes: Note[] } }>(NOTES_OF, { id: seeded.customerId });
    expect(read.errors).toBeUndefined();
    const key = await importSoapNoteKey(README_DEMO_KEY.key);
    const note = read.data!.customer.clinicalNotes.find((n) => n.encryptedSoapNote)!;
    expect(note.encryptedSoapNote!.keyId).toBe(README_DEMO_KEY.keyId);
    expect((await decryptSoapNote(key, note)).plan).toBe('Recall in two years.');
    // Clearview's seeded notes stay server-encrypted: every client-encrypted note of the seed is Lakeside's.
    const [{ others }] = await app.ownerClinical.query(`SELECT count(*)::int AS others FROM clinical_note WHERE soap_ciphertext IS NOT NULL AND soap_key_id <> $1 AND soap_key_id <> 'practice-2026'`, [README_DEMO_KEY.keyId]);
    expect(others).toBe(0);
  });
});
