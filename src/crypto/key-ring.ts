/**
 * The key ring of one process: the master keys it holds (the file VISUS_MASTER_KEY_FILE names and, while
 * `keys:rotate` runs, the next one beside it: `<file>.next`), and the data keys of the chains unwrapped with
 * them, cached by id. Data keys live wrapped in `clinical_data_key` (clinical database); a chain's active
 * key is created on its first encrypted write. A data key wrapped under a master key the ring does not hold
 * makes it read the key files again once (a finished rotation swapped them), then fails: never plaintext.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { masterKeyId, nextMasterKeyFile, readMasterKeyFile } from '../config/master-key';
import { open, seal } from './envelope';

/** What the ring queries through: a DataSource, an EntityManager, a transaction. */
export interface KeyQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface DataKey {
  id: string;
  chainId: string;
  key: Buffer;
}

interface DataKeyRow {
  id: string;
  chainId: string;
  wrappedKey: Buffer;
  masterKeyId: string;
}

const KEY_COLUMNS = `id::text AS id, chain_id::text AS "chainId", wrapped_key AS "wrappedKey", master_key_id AS "masterKeyId"`;

export function wrapAad(dataKeyId: string, chainId: string): string {
  return `visus.data-key.v1:${dataKeyId}:${chainId}`;
}

export class KeyRing {
  private masters = new Map<string, Buffer>();
  private readonly dataKeys = new Map<string, DataKey>();
  /** The id of the master key new data keys are wrapped under (the file's, not the next one's). */
  currentMasterId = '';

  constructor(readonly masterKeyFile: string, extraMasters: Buffer[] = []) {
    this.loadMasters();
    for (const key of extraMasters) this.masters.set(masterKeyId(key), key);
  }

  /** (Re)reads the master key file and, if present, the next one. */
  loadMasters(): void {
    const current = readMasterKeyFile(this.masterKeyFile);
    this.currentMasterId = masterKeyId(current);
    this.masters.set(this.currentMasterId, current);
    const next = nextMasterKeyFile(this.masterKeyFile);
    if (fs.existsSync(next)) {
      const key = readMasterKeyFile(next);
      this.masters.set(masterKeyId(key), key);
    }
  }

  master(id: string): Buffer | undefined {
    return this.masters.get(id);
  }

  /** A data key as stored, wrapped under the master key `masterId` (which the ring must hold). */
  wrap(dataKey: DataKey, masterId: string): Buffer {
    const master = this.masters.get(masterId);
    if (!master) throw new Error(`master key ${masterId} is not loaded`);
    return seal(master, dataKey.key, wrapAad(dataKey.id, dataKey.chainId));
  }

  private unwrap(row: DataKeyRow): DataKey {
    let master = this.masters.get(row.masterKeyId);
    if (!master) {
      this.loadMasters();
      master = this.masters.get(row.masterKeyId);
    }
    if (!master) throw new Error(`data key ${row.id} is wrapped under master key ${row.masterKeyId}, which this process does not hold (VISUS_MASTER_KEY_FILE)`);
    const key = { id: row.id, chainId: row.chainId, key: open(master, row.wrappedKey, wrapAad(row.id, row.chainId)) };
    this.dataKeys.set(key.id, key);
    return key;
  }

  /** The data key `id` (of the chain `chainId`, when given). */
  async keyById(db: KeyQueryable, id: string, chainId?: string): Promise<DataKey> {
    let key = this.dataKeys.get(id);
    if (!key) {
      const [row] = (await db.query(`SELECT ${KEY_COLUMNS} FROM clinical_data_key WHERE id = $1`, [id])) as DataKeyRow[];
      if (!row) throw new Error(`data key ${id} not found`);
      key = this.unwrap(row);
    }
    if (chainId && key.chainId !== chainId) throw new Error(`data key ${id} is not of chain ${chainId}`);
    return key;
  }

  /** The chain's active data key, created (wrapped under the current master key) when it has none. */
  async activeKey(db: KeyQueryable, chainId: string): Promise<DataKey> {
    const find = async (): Promise<DataKey | null> => {
      const [row] = (await db.query(`SELECT ${KEY_COLUMNS} FROM clinical_data_key WHERE chain_id = $1 AND retired_at IS NULL`, [chainId])) as DataKeyRow[];
      return row ? (this.dataKeys.get(row.id) ?? this.unwrap(row)) : null;
    };
    const found = await find();
    if (found) return found;
    const created = newDataKey(chainId);
    // A concurrent first write of the chain may win: the unique index keeps one active key, and both use it.
    await db.query(
      `INSERT INTO clinical_data_key (id, chain_id, wrapped_key, master_key_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [created.id, chainId, this.wrap(created, this.currentMasterId), this.currentMasterId],
    );
    const active = await find();
    if (!active) throw new Error(`no active data key for chain ${chainId}`);
    return active;
  }
}

/** A fresh random data key for a chain. */
export function newDataKey(chainId: string): DataKey {
  return { id: randomUUID(), chainId, key: randomBytes(32) };
}

const rings = new Map<string, KeyRing>();

/** The process's key ring for a master key file (one per file: the data keys it unwraps are cached in it). */
export function keyRingFor(masterKeyFile: string): KeyRing {
  let ring = rings.get(masterKeyFile);
  if (!ring) {
    ring = new KeyRing(masterKeyFile);
    rings.set(masterKeyFile, ring);
  }
  return ring;
}

/** Forgets the process's key rings (after a rotation swapped the key files in this process). */
export function forgetKeyRings(): void {
  rings.clear();
}
