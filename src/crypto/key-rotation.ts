/**
 * Key rotation of the clinical free text (`npm run keys:rotate`, src/scripts/keys-rotate.ts), run as the
 * clinical database's owner, resumable: its progress is in `clinical_key_rotation`.
 * 1. The next master key: `<VISUS_MASTER_KEY_FILE>.next` (generated, mode 0600, unless it exists: a resumed run
 *    finds the one it started with), or a file given with --new-key-file.
 * 2. One transaction: every data key is re-wrapped under the next master key, and every chain's active data key
 *    is retired for a new one (once per rotation: `rotation_id`). The retired keys stay (re-wrapped): the
 *    append-only change log still holds text encrypted under them.
 * 3. Batches, each one transaction (rows locked, SKIP LOCKED): rows not under their chain's active key are
 *    decrypted and encrypted again under it, and the rotation's `rows_done` grows in the same transaction, so an
 *    interruption loses at most the batch under way; run again, it continues.
 * 4. DONE; then (default next file only) the key files are swapped: the old key is kept as
 *    `<file>.retired-<id>`, the next one becomes the file. Running API processes read `<file>.next` beside
 *    their key file, and the file again when a key is wrapped under a master key they do not hold, so they keep
 *    serving throughout; a process started with --new-key-file must be restarted with that file.
 * `encryptUnkeyedRows` is step 3 alone for rows written before encryption existed (no data key yet): run at
 * the server's start as the owner.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { masterKeyId, nextMasterKeyFile, readMasterKeyFile, writeNewMasterKeyFile } from '../config/master-key';
import { ENCRYPTED_TABLES } from './clinical-text';
import { fieldAad, isEnvelope, open, parseEnvelope, sealText } from './envelope';
import { KeyQueryable, KeyRing, newDataKey, wrapAad } from './key-ring';

/** What the rotation runs on: the clinical database as its owner, with transactions. */
export interface RotationDatabase extends KeyQueryable {
  transaction<T>(work: (tx: KeyQueryable) => Promise<T>): Promise<T>;
}

export interface RotationOptions {
  masterKeyFile: string;
  /** The next master key's file (default `<masterKeyFile>.next`, generated when absent). */
  newKeyFile?: string;
  batchSize?: number;
  /** After each committed batch: rows done so far and in all (the progress bar; a test interrupts here). */
  onProgress?: (done: number, total: number) => void;
}

export interface RotationResult {
  rotationId: string;
  fromMasterKeyId: string;
  toMasterKeyId: string;
  resumed: boolean;
  rowsTotal: number;
  rowsDone: number;
  /** Where the new master key is now (the swapped key file, or the --new-key-file). */
  keyFile: string;
}

interface RotationRow {
  id: string;
  fromMasterKeyId: string;
  toMasterKeyId: string;
  rowsTotal: number;
  rowsDone: number;
}

const ROTATION_COLUMNS = `id::text AS id, from_master_key_id AS "fromMasterKeyId", to_master_key_id AS "toMasterKeyId",
  rows_total AS "rowsTotal", rows_done AS "rowsDone"`;

/** Rows of one table not under their chain's active data key (null key: written before encryption). */
function staleRowsSql(table: string, columns: string[], limit: string, lock: boolean): string {
  return `SELECT t.id::text AS id, t.chain_id::text AS "chainId", ${columns.map((c) => `t.${c}`).join(', ')}
            FROM ${table} t LEFT JOIN clinical_data_key k ON k.chain_id = t.chain_id AND k.retired_at IS NULL
           WHERE t.data_key_id IS DISTINCT FROM k.id ORDER BY t.id ${limit}${lock ? ' FOR UPDATE OF t SKIP LOCKED' : ''}`;
}

async function countStale(db: KeyQueryable, onlyUnkeyed: boolean): Promise<number> {
  let total = 0;
  for (const { table } of ENCRYPTED_TABLES) {
    const where = onlyUnkeyed ? 't.data_key_id IS NULL' : 'TRUE';
    const [row] = (await db.query(`SELECT count(*)::int AS n FROM ${table} t WHERE ${where}`)) as { n: number }[];
    total += row.n;
  }
  return total;
}

/** One batch of one table re-encrypted under the chains' active keys; returns the rows done. */
async function reencryptBatch(tx: KeyQueryable, ring: KeyRing, spec: (typeof ENCRYPTED_TABLES)[number], batchSize: number, onlyUnkeyed: boolean): Promise<number> {
  const fields = Object.keys(spec.columns);
  const columns = Object.values(spec.columns);
  const sql = onlyUnkeyed
    ? `SELECT t.id::text AS id, t.chain_id::text AS "chainId", ${columns.map((c) => `t.${c}`).join(', ')} FROM ${spec.table} t
        WHERE t.data_key_id IS NULL ORDER BY t.id LIMIT ${batchSize} FOR UPDATE OF t SKIP LOCKED`
    : staleRowsSql(spec.table, columns, `LIMIT ${batchSize}`, true);
  const rows = (await tx.query(sql)) as Record<string, string | null>[];
  for (const row of rows) {
    const id = row.id as string;
    const chainId = row.chainId as string;
    const key = await ring.activeKey(tx, chainId);
    const values: (string | null)[] = [];
    for (const [i, field] of fields.entries()) {
      const stored = row[columns[i]];
      let plaintext: string | null = stored;
      if (isEnvelope(stored)) {
        const { keyId, sealed } = parseEnvelope(stored);
        plaintext = open((await ring.keyById(tx, keyId, chainId)).key, sealed, fieldAad(spec.recordType, field, id)).toString('utf8');
      }
      values.push(plaintext === null ? null : sealText(key.id, key.key, plaintext, fieldAad(spec.recordType, field, id)));
    }
    await tx.query(
      `UPDATE ${spec.table} SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, data_key_id = $${columns.length + 2} WHERE id = $1`,
      [id, ...values, key.id],
    );
  }
  return rows.length;
}

/**
 * Step 3: every stale row (or only unkeyed ones), batch by batch; `afterBatch` runs inside each batch's transaction,
 * `committed` after it committed.
 */
async function reencryptAll(db: RotationDatabase, ring: KeyRing, batchSize: number, onlyUnkeyed: boolean,
  afterBatch: (tx: KeyQueryable, rows: number) => Promise<void>, committed: (rows: number) => void = () => undefined): Promise<void> {
  for (const spec of ENCRYPTED_TABLES) {
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const n = await reencryptBatch(tx, ring, spec, batchSize, onlyUnkeyed);
        if (n > 0) await afterBatch(tx, n);
        return n;
      });
      if (done === 0) break;
      committed(done);
    }
  }
}

/** Encrypts the rows written before encryption existed (no data key) under their chains' active keys; returns how many. */
export async function encryptUnkeyedRows(db: RotationDatabase, ring: KeyRing, batchSize = 500): Promise<number> {
  let total = 0;
  await reencryptAll(db, ring, batchSize, true, async (_tx, n) => { total += n; });
  return total;
}

/** Step 2: every data key under the next master key, and each chain a new active key of this rotation. */
async function rewrapKeys(db: RotationDatabase, ring: KeyRing, rotationId: string, toId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const keys = (await tx.query(
      `SELECT id::text AS id, chain_id::text AS "chainId", wrapped_key AS "wrappedKey", master_key_id AS "masterKeyId" FROM clinical_data_key WHERE master_key_id <> $1 FOR UPDATE`,
      [toId],
    )) as { id: string; chainId: string; wrappedKey: Buffer; masterKeyId: string }[];
    for (const row of keys) {
      const master = ring.master(row.masterKeyId);
      if (!master) throw new Error(`data key ${row.id} is wrapped under master key ${row.masterKeyId}, which is neither the current nor the next one`);
      const dataKey = { id: row.id, chainId: row.chainId, key: open(master, row.wrappedKey, wrapAad(row.id, row.chainId)) };
      await tx.query('UPDATE clinical_data_key SET wrapped_key = $2, master_key_id = $3 WHERE id = $1', [row.id, ring.wrap(dataKey, toId), toId]);
    }
    const chains = (await tx.query(
      `SELECT DISTINCT chain_id::text AS "chainId" FROM (SELECT chain_id FROM clinical_data_key UNION SELECT chain_id FROM clinical_note UNION SELECT chain_id FROM examination) c
        WHERE NOT EXISTS (SELECT 1 FROM clinical_data_key k WHERE k.chain_id = c.chain_id AND k.rotation_id = $1)`,
      [rotationId],
    )) as { chainId: string }[];
    for (const { chainId } of chains) {
      await tx.query('UPDATE clinical_data_key SET retired_at = now() WHERE chain_id = $1 AND retired_at IS NULL', [chainId]);
      const created = newDataKey(chainId);
      await tx.query(
        'INSERT INTO clinical_data_key (id, chain_id, wrapped_key, master_key_id, rotation_id) VALUES ($1, $2, $3, $4, $5)',
        [created.id, chainId, ring.wrap(created, toId), toId, rotationId],
      );
    }
  });
}

/** Rotates the master key and the data keys and re-encrypts every row, or resumes the rotation under way. */
export async function rotateKeys(db: RotationDatabase, options: RotationOptions): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  const nextFile = options.newKeyFile ?? nextMasterKeyFile(options.masterKeyFile);
  if (!options.newKeyFile) writeNewMasterKeyFile(nextFile);
  const next = readMasterKeyFile(nextFile);
  const toId = masterKeyId(next);
  const fromId = masterKeyId(readMasterKeyFile(options.masterKeyFile));
  if (fromId === toId) throw new Error(`the new master key (${nextFile}) is the current one`);
  const ring = new KeyRing(options.masterKeyFile, [next]);
  const [running] = (await db.query(`SELECT ${ROTATION_COLUMNS} FROM clinical_key_rotation WHERE state = 'RUNNING'`)) as RotationRow[];
  if (running && running.toMasterKeyId !== toId) {
    throw new Error(`a rotation to master key ${running.toMasterKeyId} is under way (${running.id}): resume it with that key, not ${toId} (${nextFile})`);
  }
  let rotation: RotationRow;
  if (running) {
    rotation = running;
  } else {
    rotation = { id: randomUUID(), fromMasterKeyId: fromId, toMasterKeyId: toId, rowsTotal: await countStale(db, false), rowsDone: 0 };
    await db.query(
      `INSERT INTO clinical_key_rotation (id, from_master_key_id, to_master_key_id, state, rows_total, rows_done, started_at, updated_at)
       VALUES ($1, $2, $3, 'RUNNING', $4, 0, now(), now())`,
      [rotation.id, fromId, toId, rotation.rowsTotal],
    );
  }
  await rewrapKeys(db, ring, rotation.id, toId);
  let done = rotation.rowsDone;
  options.onProgress?.(done, rotation.rowsTotal);
  await reencryptAll(db, ring, batchSize, false, async (tx, n) => {
    await tx.query('UPDATE clinical_key_rotation SET rows_done = rows_done + $2, updated_at = now() WHERE id = $1', [rotation.id, n]);
  }, (n) => {
    done += n;
    options.onProgress?.(done, Math.max(done, rotation.rowsTotal));
  });
  await db.query(`UPDATE clinical_key_rotation SET state = 'DONE', finished_at = now(), updated_at = now() WHERE id = $1`, [rotation.id]);
  let keyFile = nextFile;
  if (!options.newKeyFile) {
    fs.renameSync(options.masterKeyFile, `${options.masterKeyFile}.retired-${fromId}`);
    fs.renameSync(nextFile, options.masterKeyFile);
    keyFile = options.masterKeyFile;
  }
  return { rotationId: rotation.id, fromMasterKeyId: running?.fromMasterKeyId ?? fromId, toMasterKeyId: toId, resumed: Boolean(running), rowsTotal: rotation.rowsTotal, rowsDone: done, keyFile };
}
