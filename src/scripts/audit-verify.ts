/**
 * `npm run audit:verify [-- --head <file>]`: walks every chain of the clinical access log's hash chain,
 * then of the personal and clinical data change logs', and prints OK (entries, head seq and hash) or the
 * first entry that was altered, removed, reordered or misdated (out of time order), per log and chain; then that
 * the security settings history's chains; then that every user and session an entry names exists in its chain
 * (src/hash-chain/verify-actors.ts).
 * With `--head <file>` (the output of `npm run audit:export-head`) it also fails when a chain no longer
 * holds the exported head: entries cut from its end since. Exit code 0 when every chain is intact, else 1.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { splitHeads, verifyChangeLogs } from '../hash-chain/change-log-chain';
import { verifySecuritySettings } from '../hash-chain/security-setting-chain';
import { verifyActors } from '../hash-chain/verify-actors';
import { verifyChains, formatReport, parseHeads } from '../hash-chain/verify-chain';
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
  const split = headFile ? splitHeads(fs.readFileSync(headFile, 'utf8')) : undefined;
  const heads = split ? parseHeads(JSON.stringify(split.accessLog)) : undefined;
  const { app, owner, embedded } = await resolveDatabaseUrls(loadConfig());
  // Read as the owner when known (whatever the application role's grants), else as the application role
  // (resolveDatabaseUrls gives at least one of them).
  const urls = (owner ?? app)!;
  const core = createDataSource('core', urls.core);
  const clinical = createDataSource('clinical', urls.clinical);
  try {
    await clinical.initialize();
    await core.initialize();
    const result = await verifyChains(clinical, { heads });
    for (const line of formatReport(result)) console.log(line);
    const changeLogs = await verifyChangeLogs({ core, clinical }, split?.changeLogs);
    for (const line of changeLogs.lines) console.log(line);
    const settings = await verifySecuritySettings(core);
    if (settings.chains.length === 0) console.log('OK: the security settings history is empty');
    else for (const line of formatReport(settings)) console.log(`security settings history: ${line}`);
    const actors = await verifyActors(core, [
      { name: 'security settings history', table: 'security_setting_change', db: core },
      { name: 'clinical access log', table: 'clinical_access_log_entry', db: clinical },
      { name: 'personal change log', table: 'personal_change_log_entry', db: core },
      { name: 'clinical change log', table: 'clinical_change_log_entry', db: clinical },
    ]);
    for (const line of actors.lines) console.log(line);
    return result.ok && changeLogs.ok && settings.ok && actors.ok ? 0 : 1;
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
