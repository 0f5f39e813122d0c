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

/** Every personal value of the seeded databases, by kind (lower case). */
export async function personalDataNeedles(templateCoreUrl: string, templateClinicalUrl: string): Promise<Map<string, string>> {
  const [customers, staff, exams, prescriptions, notes] = await Promise.all([
    valuesFrom(templateCoreUrl, `SELECT first_name || ' ' || last_name AS "customer name", email AS "customer email", phone AS "customer phone",
        address_line1 AS "customer address", address_line2 AS "customer address line 2", postcode AS "customer postcode",
        to_char(date_of_birth, 'YYYY-MM-DD') AS "customer date of birth" FROM customer`),
    valuesFrom(templateCoreUrl, `SELECT name AS "staff name", email AS "staff email" FROM staff_user`),
    valuesFrom(templateClinicalUrl, `SELECT reason_for_visit AS "clinical text (reason for visit)", history AS "clinical text (history)" FROM examination`),
    valuesFrom(templateClinicalUrl, `SELECT notes AS "clinical text (prescription notes)" FROM spectacle_prescription`),
    valuesFrom(templateClinicalUrl, `SELECT part AS "clinical text (note)" FROM clinical_note, unnest(ARRAY[subjective, objective, assessment, plan]) AS part`),
  ]);
  const needles = new Map<string, string>();
  for (const row of [...customers, ...staff, ...exams, ...prescriptions, ...notes]) {
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
