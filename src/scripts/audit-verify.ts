/**
 * `npm run audit:verify [-- --head <file>]`: verifies every hash-chained log of the audit trail (the clinical access
 * log, the personal and clinical data change logs, the security settings history) chain by chain, and that every
 * user and session their entries name exists, and prints the report of src/audit/verify-report.ts: one line per log
 * with its verdict, one per chain of stores below it, and a one-line summary (docs/dpo.md explains each line).
 * With `--head <file>` (the output of `npm run -s audit:export-head`) every log is also compared against the heads
 * exported then, so entries cut from a log's end since are found. Exit code 0 when everything verifies, else 1.
 */
import 'reflect-metadata';
import { runAuditVerify } from '../hash-chain/verify-report';
import { loadConfig } from '../config/config';
import { resolveDatabaseUrls } from '../db/bootstrap';
import { createDataSource } from '../db/data-sources';
import { logger } from '../logging/logger';

// The application log also goes to standard output: keep it quiet here so that standard output carries only the report.
if (!process.env.LOG_LEVEL) logger.level = 'warn';

function headFileArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--head' || a.startsWith('--head='));
  if (i < 0) return undefined;
  const file = argv[i].startsWith('--head=') ? argv[i].slice('--head='.length) : argv[i + 1];
  if (!file) throw new Error('usage: audit-verify [--head <file>]');
  return file;
}

async function main(): Promise<number> {
  const headFile = headFileArg(process.argv.slice(2));
  const { app, owner, embedded } = await resolveDatabaseUrls(loadConfig());
  // Read as the owner when known (whatever the application role's grants), else as the application role
  // (resolveDatabaseUrls gives at least one of them).
  const urls = (owner ?? app)!;
  const core = createDataSource('core', urls.core);
  const clinical = createDataSource('clinical', urls.clinical);
  try {
    await clinical.initialize();
    await core.initialize();
    const report = await runAuditVerify({ core, clinical }, { headFile });
    for (const line of report.lines) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    if (core.isInitialized) await core.destroy();
    if (clinical.isInitialized) await clinical.destroy();
    if (embedded) await embedded.stop();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
