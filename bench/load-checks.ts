/**
 * The checks after `bench:load` and `bench:faults` that nothing was lost, read as the databases' owner:
 * every acknowledged consent change has its consent event (per customer and channel, at least as many events
 * since the run began as changes acknowledged), every acknowledged write its change-log entry (by the request
 * id the server answered with), every acknowledged clinical read its access-log rows, and the hash chains
 * verify (src/hash-chain/verify-report.ts, what `npm run audit:verify` runs).
 */
import { Client } from 'pg';
import { DatabasePair } from '../src/db/bootstrap';
import { createDataSource } from '../src/db/data-sources';
import { runAuditVerify } from '../src/hash-chain/verify-report';
import { Acknowledged } from './load-workload';

export interface CheckLine {
  ok: boolean;
  line: string;
}

const WRITES = new Set(['examinationEdit', 'consentChange', 'bookAppointment']);

async function requestIdsIn(db: Client, table: string, ids: string[]): Promise<Set<string>> {
  const rows = (await db.query<{ request_id: string }>(`SELECT DISTINCT request_id::text AS request_id FROM ${table} WHERE request_id::text = ANY($1::text[])`, [ids])).rows;
  return new Set(rows.map((r) => r.request_id));
}

export async function checkNothingLost(owner: DatabasePair, acknowledged: Acknowledged[], since: Date): Promise<CheckLine[]> {
  const core = new Client({ connectionString: owner.core });
  const clinical = new Client({ connectionString: owner.clinical });
  await core.connect();
  await clinical.connect();
  const lines: CheckLine[] = [];
  try {
    const consent = acknowledged.filter((a) => a.op === 'consentChange');
    const wanted = new Map<string, number>();
    for (const a of consent) wanted.set(`${a.customerId}:${a.channel}`, (wanted.get(`${a.customerId}:${a.channel}`) ?? 0) + 1);
    const events = (await core.query<{ k: string; n: number }>(
      `SELECT customer_id || ':' || channel AS k, count(*)::int AS n FROM consent_event WHERE changed_at >= $1 GROUP BY 1`, [since])).rows;
    const have = new Map(events.map((e) => [e.k, e.n]));
    const short = [...wanted].filter(([k, n]) => (have.get(k) ?? 0) < n).length;
    lines.push({ ok: short === 0, line: `consent changes acknowledged ${consent.length}: ${short === 0 ? 'each has its consent event' : `${short} customer/channel pairs lack events`}` });

    const writes = acknowledged.filter((a) => WRITES.has(a.op));
    const writeIds = writes.map((a) => a.requestId);
    const logged = new Set([...await requestIdsIn(core, 'personal_change_log_entry', writeIds), ...await requestIdsIn(clinical, 'clinical_change_log_entry', writeIds)]);
    const unlogged = writes.filter((a) => !logged.has(a.requestId));
    lines.push({ ok: unlogged.length === 0, line: `writes acknowledged ${writes.length}: ${unlogged.length === 0 ? 'each has its change-log entry' : `${unlogged.length} without (${[...new Set(unlogged.map((u) => u.op))].join(', ')})`}` });

    const reads = acknowledged.filter((a) => a.op === 'customerClinical');
    const readLogged = await requestIdsIn(clinical, 'clinical_access_log_entry', reads.map((a) => a.requestId));
    const unread = reads.filter((a) => !readLogged.has(a.requestId)).length;
    lines.push({ ok: unread === 0, line: `clinical reads acknowledged ${reads.length}: ${unread === 0 ? 'each has its access-log rows' : `${unread} without access-log rows`}` });
  } finally {
    await core.end();
    await clinical.end();
  }
  const coreDs = createDataSource('core', owner.core);
  const clinicalDs = createDataSource('clinical', owner.clinical);
  await coreDs.initialize();
  await clinicalDs.initialize();
  try {
    const report = await runAuditVerify({ core: coreDs, clinical: clinicalDs });
    lines.push({ ok: report.ok, line: `hash chains: ${report.ok ? 'verify' : 'BROKEN'} (${report.lines.length} report lines${report.ok ? '' : `: ${report.lines.slice(0, 5).join(' / ')}`})` });
  } finally {
    await coreDs.destroy();
    await clinicalDs.destroy();
  }
  return lines;
}
