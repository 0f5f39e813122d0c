/**
 * Scans a log file for personal data: the demo customers' full names and emails and the staff's
 * emails, read from the seeded template database. Used by the global teardown on the whole test
 * run's application log, so a log line carrying personal data fails the run.
 */
import fs from 'node:fs';
import { Client } from 'pg';

export interface ScanResult {
  lines: number;
  requestLines: number;
  findings: { line: number; what: string }[];
}

export async function scanLogForPersonalData(logFile: string, templateCoreUrl: string): Promise<ScanResult> {
  const client = new Client({ connectionString: templateCoreUrl });
  await client.connect();
  let needles: string[];
  try {
    const customers = await client.query<{ name: string; email: string | null }>(`SELECT first_name || ' ' || last_name AS name, email FROM customer`);
    const staff = await client.query<{ email: string }>('SELECT email FROM staff_user');
    needles = [...new Set([
      ...customers.rows.flatMap((c) => [c.name, c.email ?? '']),
      ...staff.rows.map((s) => s.email),
    ].filter((n) => n.length >= 5).map((n) => n.toLowerCase()))];
  } finally {
    await client.end();
  }
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  const lines = text.split('\n').filter(Boolean);
  const findings: ScanResult['findings'] = [];
  lines.forEach((line, i) => {
    const lower = line.toLowerCase();
    for (const needle of needles) if (lower.includes(needle)) findings.push({ line: i + 1, what: needle });
  });
  return { lines: lines.length, requestLines: lines.filter((l) => l.includes('"graphql request"')).length, findings };
}
