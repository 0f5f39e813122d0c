/**
 * Scans a log file for personal data, with the values read from the seeded template databases: the
 * demo customers' names, emails, phone numbers, address lines, postcodes and dates of birth; the
 * staff's names and emails; and the clinical free text (reasons for visit, histories, prescription
 * notes, the four parts of every clinical note). Used by the global teardown on the whole test run's
 * application log, so a log line carrying any of them fails the run; test/logging/personal-data-scan.test.ts
 * plants one of each kind and checks that the scan finds it. A finding names the kind of data and the
 * line, never the value.
 */
import fs from 'node:fs';
import { Client } from 'pg';
import { openValue } from '../../src/crypto/clinical-text';
import { KeyRing } from '../../src/crypto/key-ring';

export interface ScanResult {
  lines: number;
  requestLines: number;
  /** How many distinct values of each kind were looked for. */
  needles: Record<string, number>;
  findings: { line: number; what: string }[];
}

/** The kinds of personal data looked for (each must have values in the seeded databases, or the scan proves little). */
export const PERSONAL_DATA_KINDS = [
  'customer name', 'customer email', 'customer phone', 'customer address', 'customer postcode', 'customer date of birth',
  'staff name', 'staff email', 'clinical text (reason for visit)', 'clinical text (history)', 'clinical text (note)',
] as const;

/** Shorter values (a town's first letters, "GB") would match ordinary log text. */
const MIN_LENGTH = 5;

async function valuesFrom(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * The seeded clinical free text, decrypted (it is stored encrypted: src/crypto/clinical-text.ts) with the run's
 * master key (VISUS_MASTER_KEY_FILE, set by the global setup), by kind.
 */
async function clinicalText(url: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const ring = new KeyRing(process.env.VISUS_MASTER_KEY_FILE as string);
    const db = { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows };
    const rows: Record<string, unknown>[] = [];
    const read = async (table: string, recordType: 'Examination' | 'ClinicalNote', kinds: Record<string, string>): Promise<void> => {
      const columns = Object.keys(kinds);
      const found = (await client.query(`SELECT id::text AS id, chain_id::text AS "chainId", ${columns.join(', ')} FROM ${table}`)).rows as Record<string, string | null>[];
      for (const row of found) {
        for (const column of columns) {
          const field = column.replace(/_(.)/g, (_m, c: string) => c.toUpperCase());
          rows.push({ [kinds[column]]: await openValue(ring, db, row.chainId as string, recordType, field, row.id as string, row[column]) });
        }
      }
    };
    await read('examination', 'Examination', { reason_for_visit: 'clinical text (reason for visit)', history: 'clinical text (history)' });
    await read('clinical_note', 'ClinicalNote', { subjective: 'clinical text (note)', objective: 'clinical text (note)', assessment: 'clinical text (note)', plan: 'clinical text (note)' });
    return rows;
  } finally {
    await client.end();
  }
}

/** Every personal value of the seeded databases, by kind (lower case). */
export async function personalDataNeedles(templateCoreUrl: string, templateClinicalUrl: string): Promise<Map<string, string>> {
  const [customers, staff, exams, prescriptions] = await Promise.all([
    valuesFrom(templateCoreUrl, `SELECT first_name || ' ' || last_name AS "customer name", email AS "customer email", phone AS "customer phone",
        address_line1 AS "customer address", address_line2 AS "customer address line 2", postcode AS "customer postcode",
        to_char(date_of_birth, 'YYYY-MM-DD') AS "customer date of birth" FROM customer`),
    valuesFrom(templateCoreUrl, `SELECT name AS "staff name", email AS "staff email" FROM staff_user`),
    clinicalText(templateClinicalUrl),
    valuesFrom(templateClinicalUrl, `SELECT notes AS "clinical text (prescription notes)" FROM spectacle_prescription`),
  ]);
  const needles = new Map<string, string>();
  for (const row of [...customers, ...staff, ...exams, ...prescriptions]) {
    for (const [kind, value] of Object.entries(row)) {
      if (typeof value !== 'string') continue;
      const needle = value.trim().toLowerCase();
      if (needle.length >= MIN_LENGTH && !needles.has(needle)) needles.set(needle, kind);
    }
  }
  return needles;
}

/** Scans text line by line for the needles (value -> kind). */
export function scanText(text: string, needles: Map<string, string>): Pick<ScanResult, 'lines' | 'requestLines' | 'findings'> {
  const lines = text.split('\n').filter(Boolean);
  const findings: ScanResult['findings'] = [];
  lines.forEach((line, i) => {
    const lower = line.toLowerCase();
    for (const [needle, kind] of needles) if (lower.includes(needle)) findings.push({ line: i + 1, what: kind });
  });
  return { lines: lines.length, requestLines: lines.filter((l) => l.includes('"graphql request"')).length, findings };
}

export async function scanLogForPersonalData(logFile: string, templateCoreUrl: string, templateClinicalUrl: string): Promise<ScanResult> {
  const needles = await personalDataNeedles(templateCoreUrl, templateClinicalUrl);
  const counts: Record<string, number> = {};
  for (const kind of needles.values()) counts[kind] = (counts[kind] ?? 0) + 1;
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  return { ...scanText(text, needles), needles: counts };
}
