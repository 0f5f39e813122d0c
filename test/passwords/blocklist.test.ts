/**
 * The shipped blocklist (data/passwords/common-passwords.txt.gz): counted here from the file itself, independently
 * of the code that loads it: at least 100,000 distinct entries (NFKC, lower case, of 8 code points or more: shorter
 * ones can never be a password anyway), the number docs/passwords.md states, and the number the policy's loader
 * holds. The file is the one named (by SHA-256) in data/passwords/LICENSE.md with its source and licence.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readBlocklist } from '../../src/auth/breached-passwords';

const ROOT = path.join(__dirname, '..', '..');
const FILE = path.join(ROOT, 'data', 'passwords', 'common-passwords.txt.gz');

function distinctEntries(): Set<string> {
  const lines = gunzipSync(fs.readFileSync(FILE)).toString('utf8').split(/\r?\n/);
  return new Set(lines.map((line) => line.normalize('NFKC').toLowerCase()).filter((entry) => [...entry].length >= 8));
}

describe('the shipped blocklist of common and breached passwords', () => {
  const entries = distinctEntries();

  it('has at least 100,000 entries, and the count the documentation states', () => {
    expect(entries.size).toBeGreaterThanOrEqual(100_000);
    const stated = /\*\*([\d,]+) entries\*\*/.exec(fs.readFileSync(path.join(ROOT, 'docs', 'passwords.md'), 'utf8'))?.[1];
    expect(stated && Number(stated.replace(/,/g, ''))).toBe(entries.size);
  });

  it('is the file its licence note names, from SecLists', () => {
    const note = fs.readFileSync(path.join(ROOT, 'data', 'passwords', 'LICENSE.md'), 'utf8');
    expect(note).toContain(createHash('sha256').update(fs.readFileSync(FILE)).digest('hex'));
    expect(note).toMatch(/SecLists/);
    expect(note).toMatch(/MIT License/);
  });

  it('holds common and breached passwords, and the loader reads exactly these entries', () => {
    for (const common of ['password', '12345678', 'iloveyou', 'qwertyuiop', 'manchesterunited']) expect(entries).toContain(common);
    expect(entries).not.toContain('visus-demo-2026!');
    const loaded = readBlocklist();
    expect(loaded.size).toBe(entries.size);
    for (const entry of [...entries].slice(0, 2000)) expect(loaded.has(entry)).toBe(true);
  });
});
