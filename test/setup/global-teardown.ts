/**
 * Jest global teardown: scans the whole run's application log for personal data (the demo
 * customers' names, emails, phone numbers, addresses, postcodes and dates of birth, the staff's names
 * and emails, the clinical free text: test/support/personal-data-scan.ts) and fails the run if any is
 * found; then stops the run's embedded PostgreSQL and removes its data folder.
 */
import fs from 'node:fs';
import { ThrowawayPostgres } from '../../src/db/throwaway-databases';
import { PERSONAL_DATA_KINDS, scanLogForPersonalData } from '../support/personal-data-scan';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__VISUS_EMBEDDED__ as ThrowawayPostgres | undefined;
  if (!state) return;
  const logFile = (globalThis as Record<string, unknown>).__VISUS_LOG_FILE__ as string | undefined;
  try {
    if (logFile) {
      const scan = await scanLogForPersonalData(logFile, state.embedded.urlFor('tpl_core'), state.embedded.urlFor('tpl_clinical'));
      const kinds = Object.entries(scan.needles).map(([kind, n]) => `${n} ${kind}`).join(', ');
      console.log(`application log scan: ${scan.lines} lines (${scan.requestLines} request lines), ${scan.findings.length} with personal data; looked for ${kinds}`);
      const missing = PERSONAL_DATA_KINDS.filter((kind) => !scan.needles[kind]);
      if (missing.length) throw new Error(`the personal-data scan found no values of ${missing.join(', ')} in the seeded databases: it proved nothing for them`);
      if (scan.requestLines === 0) throw new Error(`the application log ${logFile} has no request lines: the personal-data scan proved nothing`);
      if (scan.findings.length) {
        throw new Error(`personal data in the application log ${logFile}: ${scan.findings.slice(0, 5).map((f) => `line ${f.line}: ${f.what}`).join('; ')}`);
      }
      fs.rmSync(logFile, { force: true });
    }
  } finally {
    await state.stop();
    if (process.env.VISUS_MASTER_KEY_FILE?.includes(`test-${process.pid}-master.key`)) fs.rmSync(process.env.VISUS_MASTER_KEY_FILE, { force: true });
  }
}
