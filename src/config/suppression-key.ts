/**
 * The suppression key: 32 bytes under which contact details are hashed (HMAC-SHA256) for the marketing
 * suppression list (src/services/consent/contact-hash-sql.ts). Read from VISUS_SUPPRESSION_KEY_FILE (a file
 * holding 64 hex characters). Unset outside production: `suppression.key` beside the embedded PostgreSQL's
 * data folder (VISUS_DATA_DIR's parent, `.data/` by default), generated on first start and reused afterwards.
 * Unset in production: the process stops (a generated key would silently change every hash on a new host).
 * Losing or changing the key makes every stored suppression unmatchable: keep it with the database backups.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

function readKeyFile(file: string, variable: string): Buffer {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`${variable}: cannot read the suppression key file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  if (!HEX_KEY.test(text)) throw new Error(`${variable}: the suppression key file ${file} must hold exactly 64 hex characters (32 bytes; e.g. openssl rand -hex 32)`);
  return Buffer.from(text, 'hex');
}

/** Where the generated key lives when VISUS_SUPPRESSION_KEY_FILE is unset outside production. */
export function defaultSuppressionKeyFile(embeddedDataDir: string): string {
  return path.join(path.dirname(embeddedDataDir), 'suppression.key');
}

/** The key from `keyFile`, or (outside production, no file named) the generated default one. */
export function suppressionKeyFrom(keyFile: string | undefined, production: boolean, embeddedDataDir: string): Buffer {
  if (keyFile) return readKeyFile(keyFile, 'VISUS_SUPPRESSION_KEY_FILE');
  if (production) {
    throw new Error('VISUS_SUPPRESSION_KEY_FILE must name a file holding the 64-hex-character suppression key in production (create one with openssl rand -hex 32, keep it with the backups)');
  }
  const file = defaultSuppressionKeyFile(embeddedDataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': a second process starting at the same moment keeps the first one's key.
      fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readKeyFile(file, `the generated suppression key (VISUS_SUPPRESSION_KEY_FILE unset)`);
}
