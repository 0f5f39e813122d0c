/**
 * What `npm run audit:verify` checks and prints, worded for a data protection officer: every hash-chained log
 * by name and database, each chain by the name of its chain of stores, whether it was compared against exported
 * heads (and from which file), the verdict per log, the users and sessions the entries name, and a one-line
 * summary. `ok` is false on any problem (the script's exit code 1). The walking and hashing are the logs' own
 * (src/audit/verify-chain.ts, change-log-chain.ts, security-setting-chain.ts, verify-actors.ts); this file only
 * runs them in order and words the result (docs/dpo.md explains each line).
 */
import fs from 'node:fs';
import { CHANGE_LOGS, verifyChangeLog } from './change-log-chain';
import { AuditDatabases, HeadsByLog, readHeads } from './audit-heads';
import { verifySecuritySettings } from './security-setting-chain';
import { verifyActors } from './verify-actors';
import { moreProblems, verifyChains, ZERO_HASH } from './verify-chain';
import { ChainReport, ExportedHead, Queryable, VerifyResult } from './chain-report';

/** One hash-chained log as the report names it. */
interface LoggedChain {
  name: string;
  database: 'core' | 'clinical';
  table: string;
  heads(file: HeadsByLog): ExportedHead[];
  verify(db: Queryable, heads: ExportedHead[] | undefined): Promise<VerifyResult>;
}

const WHAT = {
  personal: 'customers, consents, appointments',
  clinical: 'examinations, prescriptions, contact lens specifications, clinical notes',
};

const LOGS: LoggedChain[] = [
  {
    name: 'clinical access log', database: 'clinical', table: 'clinical_access_log_entry',
    heads: (file) => file.accessLog, verify: (db, heads) => verifyChains(db, { heads }),
  },
  ...CHANGE_LOGS.map((log): LoggedChain => ({
    name: `${log.database === 'core' ? 'personal' : 'clinical'} data change log (${log.database === 'core' ? WHAT.personal : WHAT.clinical})`,
    database: log.database, table: log.table,
    heads: (file) => file.changeLogs.get(log.kind) ?? [], verify: (db, heads) => verifyChangeLog(db, log, { heads }),
  })),
  {
    name: 'security settings history', database: 'core', table: 'security_setting_change',
    heads: (file) => file.securitySettings, verify: (db, heads) => verifySecuritySettings(db, { heads }),
  },
];

export interface AuditVerifyReport {
  ok: boolean;
  lines: string[];
}

const pad = (ok: boolean): string => (ok ? 'OK    ' : 'FAIL  ');
const DETAIL = '        ';
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

async function chainNames(core: Queryable): Promise<Map<string, string>> {
  const rows = (await core.query('SELECT id::text AS id, name FROM chain')) as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

function chainLine(report: ChainReport, names: Map<string, string>, head: ExportedHead | undefined, headFile: string | undefined): string {
  const who = `${names.get(report.chainId) ?? 'unknown chain of stores'} (chain ${report.chainId})`;
  if (!report.ok) {
    const p = report.problem!;
    return `${DETAIL}FAIL ${who}: ${p.kind}: ${p.message} (${plural(report.entries, 'entry', 'entries')} verified before it)${moreProblems(report)}`;
  }
  const state = `${plural(report.entries, 'entry', 'entries')}, head seq ${report.head?.seq ?? 0} hash ${report.head?.hash ?? ZERO_HASH.toString('hex')}`;
  const compared = !headFile ? '' : head
    ? `; the head exported in ${headFile} (seq ${head.seq}) is still in place`
    : `; no head for it in ${headFile} (not compared: it has grown since, or began after the export)`;
  return `${DETAIL}OK   ${who}: ${state}${compared}`;
}

/**
 * Verifies every log (against the heads in `headFile`, when given) and words the result, one line per log with its
 * verdict, one per chain below it, then the users and sessions check and the summary.
 */
export async function runAuditVerify(dbs: AuditDatabases, options: { headFile?: string } = {}): Promise<AuditVerifyReport> {
  const { headFile } = options;
  const file = headFile ? readHeads(fs.readFileSync(headFile, 'utf8')) : undefined;
  const names = await chainNames(dbs.core);
  const lines: string[] = [];
  lines.push(file
    ? `Exported heads: ${headFile} (${plural(file.count, 'head')}${file.exportedAt ? `, exported ${file.exportedAt}` : ''}); every log is compared against them.`
    : 'Exported heads: none given (--head <file>): entries cut from the end of a log since an export would go unnoticed.');
  const failed: string[] = [];

  for (const log of LOGS) {
    const heads = file ? log.heads(file) : undefined;
    const result = await log.verify(dbs[log.database], heads);
    const label = `${log.name}, ${log.database} database (${log.table})`;
    const broken = result.chains.filter((c) => !c.ok).length;
    const comparedWith = file ? `compared against ${plural(heads!.length, 'exported head')} from ${headFile}` : 'not compared against exported heads';
    if (!result.ok) failed.push(log.name);
    if (result.chains.length === 0) {
      lines.push(`${pad(true)}${label}: empty, nothing to verify; ${comparedWith}`);
      continue;
    }
    const verdict = result.ok
      ? `intact: ${plural(result.chains.length, 'chain')}, ${plural(result.chains.reduce((n, c) => n + c.entries, 0), 'entry', 'entries')}`
      : `BROKEN: ${broken} of ${plural(result.chains.length, 'chain')}`;
    lines.push(`${pad(result.ok)}${label}: ${verdict}; ${comparedWith}`);
    const byChain = new Map((heads ?? []).map((h) => [h.chainId.toLowerCase(), h]));
    for (const chain of result.chains) lines.push(chainLine(chain, names, byChain.get(chain.chainId), headFile));
  }

  const actors = await verifyActors(dbs.core, LOGS.map((log) => ({ name: log.name, table: log.table, db: dbs[log.database] })));
  if (!actors.ok) failed.push('users and sessions named by entries');
  lines.push(`${pad(actors.ok)}users and sessions named by the entries: ${actors.ok ? 'every one exists in its chain of stores' : 'some do not exist (below)'}`);
  for (const line of actors.lines) lines.push(`${DETAIL}${line.trim()}`);

  const checks = LOGS.length + 1;
  const heads = file ? `against the heads exported in ${headFile}` : 'without exported heads';
  lines.push(failed.length === 0
    ? `Summary: OK: all ${checks} checks passed, ${heads}.`
    : `Summary: FAIL: ${failed.length} of ${checks} checks found problems (${failed.join('; ')}), ${heads}.`);
  return { ok: failed.length === 0, lines };
}
