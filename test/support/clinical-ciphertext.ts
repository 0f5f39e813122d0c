/**
 * The encrypted clinical free text as the tests read it, written from the documented format (docs/security-operations.md,
 * "## Keys") rather than imported from src/crypto: a stored value is `enc:v1:<data key id>:<base64 of IV(12) | ciphertext |
 * tag(16)>`, AES-256-GCM with the additional data `<record type>.<field>:<record id>`; the data key is in
 * `clinical_data_key`, wrapped the same way under the master key (additional data `visus.data-key.v1:<data key id>:<chain id>`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

function gcmOpen(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

/** The master key of a key file (64 hex characters). */
export function masterKeyOf(file = process.env.VISUS_MASTER_KEY_FILE as string): Buffer {
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

/** The data key `id`, unwrapped with `master`. */
export async function dataKey(db: Queryable, id: string, master: Buffer = masterKeyOf()): Promise<Buffer> {
  const [row] = (await db.query('SELECT chain_id::text AS "chainId", wrapped_key AS "wrapped" FROM clinical_data_key WHERE id = $1', [id])) as { chainId: string; wrapped: Buffer }[];
  if (!row) throw new Error(`no data key ${id}`);
  return gcmOpen(master, row.wrapped, `visus.data-key.v1:${id}:${row.chainId}`);
}

/** The plaintext of a stored value (null stays null); throws when it is no envelope. */
export async function decryptStored(db: Queryable, recordType: string, field: string, recordId: string, value: unknown, master?: Buffer): Promise<string | null> {
  if (value === null || value === undefined) return null;
  const match = /^enc:v1:([0-9a-f-]{36}):([A-Za-z0-9+/=]+)$/.exec(String(value));
  if (!match) throw new Error(`${recordType}.${field} of ${recordId} is not an encrypted envelope: ${String(value).slice(0, 20)}`);
  const key = await dataKey(db, match[1], master);
  return gcmOpen(key, Buffer.from(match[2], 'base64'), `${recordType}.${field}:${recordId}`).toString('utf8');
}

/** A row read from the database with its encrypted columns (snake case -> field) decrypted. */
export async function decryptRow<R extends Record<string, unknown>>(db: Queryable, recordType: string, recordId: string, row: R, columns: Record<string, string>): Promise<R> {
  const out: Record<string, unknown> = { ...row };
  for (const [column, field] of Object.entries(columns)) {
    if (column in out) out[column] = await decryptStored(db, recordType, field, recordId, out[column]);
  }
  return out as R;
}

export const EXAMINATION_TEXT = { reason_for_visit: 'reasonForVisit', history: 'history' };
export const NOTE_TEXT = { subjective: 'subjective', objective: 'objective', assessment: 'assessment', plan: 'plan' };

/**
 * `text` encrypted as the server stores it, under the chain's active data key (the seed made one for each demo
 * chain), for a test that writes a clinical row directly: the envelope and the key id for `data_key_id`.
 */
export async function sealForTest(db: Queryable, chainId: string, recordType: string, field: string, recordId: string, text: string): Promise<{ value: string; keyId: string }> {
  const [row] = (await db.query('SELECT id::text AS id FROM clinical_data_key WHERE chain_id = $1 AND retired_at IS NULL', [chainId])) as { id: string }[];
  if (!row) throw new Error(`chain ${chainId} has no active data key`);
  const key = await dataKey(db, row.id);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${recordType}.${field}:${recordId}`, 'utf8'));
  const body = Buffer.concat([cipher.update(Buffer.from(text, 'utf8')), cipher.final(), cipher.getAuthTag()]);
  return { value: `enc:v1:${row.id}:${Buffer.concat([iv, body]).toString('base64')}`, keyId: row.id };
}

/** The encrypted fields, by record type. */
const ENCRYPTED: Record<string, string[]> = { Examination: Object.values(EXAMINATION_TEXT), ClinicalNote: Object.values(NOTE_TEXT) };

/**
 * A change log entry's `changes` with the encrypted fields' values decrypted; a value of such a field that is not
 * an envelope fails (the log must not hold their plaintext).
 */
export async function decryptChanges(db: Queryable, recordType: string, recordId: string, changes: Record<string, { before?: unknown; after?: unknown }>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...changes };
  for (const field of ENCRYPTED[recordType] ?? []) {
    const value = changes[field];
    if (!value || !('before' in value)) continue;
    out[field] = {
      before: await decryptStored(db, recordType, field, recordId, value.before),
      after: await decryptStored(db, recordType, field, recordId, value.after),
    };
  }
  return out;
}

/**
 * Copies of rows about to be inserted directly (camel-case fields, with `id` and `chainId`) with their encrypted
 * fields sealed as the server stores them, under each chain's active data key, and `dataKeyId` set.
 */
export async function sealRows(db: Queryable, recordType: string, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const keys = new Map<string, { id: string; key: Buffer }>();
  const out: Record<string, unknown>[] = [];
  for (const row of rows) {
    const chainId = String(row.chainId);
    if (!keys.has(chainId)) {
      const [found] = (await db.query('SELECT id::text AS id FROM clinical_data_key WHERE chain_id = $1 AND retired_at IS NULL', [chainId])) as { id: string }[];
      if (!found) throw new Error(`chain ${chainId} has no active data key`);
      keys.set(chainId, { id: found.id, key: await dataKey(db, found.id) });
    }
    const { id: keyId, key } = keys.get(chainId)!;
    const sealed: Record<string, unknown> = { ...row, dataKeyId: keyId };
    for (const field of ENCRYPTED[recordType] ?? []) {
      const text = row[field];
      if (typeof text !== 'string') continue;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${recordType}.${field}:${String(row.id)}`, 'utf8'));
      const body = Buffer.concat([iv, cipher.update(Buffer.from(text, 'utf8')), cipher.final(), cipher.getAuthTag()]);
      sealed[field] = `enc:v1:${keyId}:${body.toString('base64')}`;
    }
    out.push(sealed);
  }
  return out;
}
