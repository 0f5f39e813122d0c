/**
 * The application-log scan of the jest teardown (test/support/personal-data-scan.ts) finds personal data:
 * a log planted with one line per kind (a customer's name, email, phone number, address, postcode and date
 * of birth, a member of staff's name and email, and clinical free text from an examination and a clinical
 * note, each read here from the seeded template databases) yields exactly one finding per planted line,
 * naming its kind and not its value, and none for ordinary request lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { decryptRow, EXAMINATION_TEXT, NOTE_TEXT } from '../support/clinical-ciphertext';
import { PERSONAL_DATA_KINDS, personalDataNeedles, scanLogForPersonalData, scanText } from '../support/personal-data-scan';

function templateUrl(database: string): string {
  const url = process.env.VISUS_TEST_PG_URL;
  if (!url) throw new Error('VISUS_TEST_PG_URL is not set: run through jest');
  return url.replace(/\/postgres$/, `/${database}`);
}

async function one<T>(database: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: templateUrl(database) });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

/** A clinical row's free text as written: it is stored encrypted (test/support/clinical-ciphertext.ts opens it). */
async function oneClinical(sql: string, recordType: string, columns: Record<string, string>): Promise<Record<string, string>> {
  const client = new Client({ connectionString: templateUrl('tpl_clinical') });
  await client.connect();
  try {
    const row = (await client.query(sql)).rows[0] as Record<string, string>;
    const db = { query: async (q: string, params?: unknown[]) => (await client.query(q, params)).rows };
    return (await decryptRow(db, recordType, row.id, row, columns)) as Record<string, string>;
  } finally {
    await client.end();
  }
}

const CLEAN = [
  '{"level":30,"time":1790000000000,"requestId":"6f1c2a9e-3b7d-4e0a-9c55-0d1e2f3a4b5c","operationName":"Matrix","userId":"0b7e5c1a-2d3f-4a5b-8c9d-e0f1a2b3c4d5","ms":12,"msg":"graphql request"}',
  '{"level":40,"time":1790000000001,"database":"clinical","ms":1200,"msg":"slow query"}',
];

describe('personal-data scan of the application log', () => {
  let planted: { kind: string; line: string }[];

  beforeAll(async () => {
    const customer = await one<Record<string, string>>('tpl_core',
      `SELECT first_name || ' ' || last_name AS name, email, phone, address_line1, postcode, to_char(date_of_birth, 'YYYY-MM-DD') AS dob
         FROM customer WHERE email IS NOT NULL AND phone IS NOT NULL AND address_line1 IS NOT NULL AND postcode IS NOT NULL ORDER BY id LIMIT 1`);
    const staff = await one<Record<string, string>>('tpl_core', `SELECT name, email FROM staff_user WHERE email LIKE 'leeds.optometrist@%'`);
    const exam = await oneClinical('SELECT id::text AS id, reason_for_visit, history FROM examination WHERE history IS NOT NULL ORDER BY id LIMIT 1', 'Examination', EXAMINATION_TEXT);
    const note = await oneClinical('SELECT id::text AS id, assessment FROM clinical_note WHERE assessment IS NOT NULL ORDER BY id LIMIT 1', 'ClinicalNote', { assessment: NOTE_TEXT.assessment });
    // Each value as a careless log line might carry it (in a message, an error, a variable), in another case.
    planted = [
      { kind: 'customer name', line: `{"level":50,"msg":"could not export ${customer.name.toUpperCase()}"}` },
      { kind: 'customer email', line: `{"level":30,"variables":{"email":"${customer.email}"}}` },
      { kind: 'customer phone', line: `{"level":50,"err":"duplicate key value (phone)=(${customer.phone})"}` },
      { kind: 'customer address', line: `{"level":40,"msg":"address ${customer.address_line1} not verified"}` },
      { kind: 'customer postcode', line: `{"level":40,"msg":"unknown postcode ${customer.postcode.toLowerCase()}"}` },
      { kind: 'customer date of birth', line: `{"level":50,"err":"invalid input: dateOfBirth ${customer.dob}"}` },
      { kind: 'staff name', line: `{"level":30,"msg":"signed in: ${staff.name}"}` },
      { kind: 'staff email', line: `{"level":30,"msg":"login failed for ${staff.email}"}` },
      { kind: 'clinical text (history)', line: `{"level":50,"err":"value too long: ${exam.history}"}` },
      { kind: 'clinical text (reason for visit)', line: `{"level":50,"msg":"reason ${exam.reason_for_visit} rejected"}` },
      { kind: 'clinical text (note)', line: `{"level":50,"msg":"note: ${note.assessment}"}` },
    ];
  });

  it('looks for every kind of personal data, with values from the seeded databases', async () => {
    const needles = await personalDataNeedles(templateUrl('tpl_core'), templateUrl('tpl_clinical'));
    const kinds = new Set(needles.values());
    for (const kind of PERSONAL_DATA_KINDS) expect(`${kind}: ${kinds.has(kind)}`).toBe(`${kind}: true`);
    expect(planted.map((p) => p.kind).sort()).toEqual([...PERSONAL_DATA_KINDS].sort());
  });

  it('finds each planted line, naming its kind (not the value), and nothing in clean lines', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'visus-scan-')), 'app.jsonl');
    const lines = [...CLEAN, ...planted.flatMap((p) => [p.line, CLEAN[0]])];
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    try {
      const scan = await scanLogForPersonalData(file, templateUrl('tpl_core'), templateUrl('tpl_clinical'));
      expect(scan.lines).toBe(lines.length);
      expect(scan.requestLines).toBe(CLEAN.length - 1 + planted.length);
      planted.forEach((p, i) => {
        const line = CLEAN.length + 2 * i + 1;
        expect({ line, kinds: scan.findings.filter((f) => f.line === line).map((f) => f.what) }).toEqual({ line, kinds: [p.kind] });
      });
      expect(scan.findings).toHaveLength(planted.length);
      for (const f of scan.findings) expect(planted.some((p) => p.line.toLowerCase().includes(f.what))).toBe(false);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('finds nothing in a log of ids only', async () => {
    const needles = await personalDataNeedles(templateUrl('tpl_core'), templateUrl('tpl_clinical'));
    expect(scanText(CLEAN.join('\n'), needles).findings).toEqual([]);
  });
});
