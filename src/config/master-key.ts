/**
 * The master key file: 32 random bytes (64 hex characters) that wrap the per-chain data keys of the clinical
 * free text (src/crypto/). Named by VISUS_MASTER_KEY_FILE; unset outside production, `master.key` beside the
 * embedded PostgreSQL's data folder (VISUS_DATA_DIR's parent, `.data/` by default), generated on first start
 * (mode 0600) and reused afterwards. Unset in production: the process stops. `npm run keys:rotate` writes the
 * next key to `<file>.next` and swaps it in when it is done (src/crypto/key-rotation.ts).
 * Losing the key makes every clinical note unreadable: keep it apart from the database backups, and safe.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/** Where the generated key lives when VISUS_MASTER_KEY_FILE is unset outside production. */
export function defaultMasterKeyFile(embeddedDataDir: string): string {
  return path.join(path.dirname(embeddedDataDir), 'master.key');
}

/** The file `keys:rotate` writes the next master key to. */
export function nextMasterKeyFile(file: string): string {
  return `${file}.next`;
}

/** Writes a new random key to `file` (mode 0600) unless it exists; true when it wrote one. */
export function writeNewMasterKeyFile(file: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx': a second process starting at the same moment keeps the first one's key.
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

/** The 32 key bytes of a master key file. */
export function readMasterKeyFile(file: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`cannot read the master key file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  if (!HEX_KEY.test(text)) throw new Error(`the master key file ${file} must hold exactly 64 hex characters (32 bytes; e.g. openssl rand -hex 32)`);
  return Buffer.from(text, 'hex');
}

/** A master key's public name: the first 16 hex digits of SHA-256 over a label and the key (recorded beside what it wraps). */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('visus.master-key.v1:').update(key).digest('hex').slice(0, 16);
}

/** The master key file to use: `keyFile`, or (outside production, none named) the generated default one. */
export function masterKeyFileFrom(keyFile: string | undefined, production: boolean, embeddedDataDir: string): string {
  if (keyFile) return path.resolve(keyFile);
  if (production) {
    throw new Error('VISUS_MASTER_KEY_FILE must name a file holding the 64-hex-character master key in production (create one with openssl rand -hex 32, mode 0600, and keep it apart from the backups)');
  }
  const file = defaultMasterKeyFile(embeddedDataDir);
  writeNewMasterKeyFile(file);
  return file;
}
