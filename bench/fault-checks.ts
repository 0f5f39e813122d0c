/**
 * `bench:faults`' check that no change exists without its change-log entry, acknowledged or not (a worker
 * killed mid-write, PostgreSQL stopped mid-transaction): read as the owner, every appointment created since
 * the run began has a personal change-log entry for it, every examination changed since then a clinical one,
 * and every customer has at least as many Consent change-log entries since then as consent events.
 */
import { Client } from 'pg';
import { DatabasePair } from '../src/db/bootstrap';
import { CheckLine } from './load-checks';

async function rows<T>(url: string, sql: string, params: unknown[]): Promise<T[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

export async function checkEveryChangeLogged(owner: DatabasePair, since: Date): Promise<CheckLine[]> {
  const [appointments] = await rows<{ n: number; unlogged: number }>(owner.core,
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM personal_change_log_entry l
       WHERE l.record_id = a.id AND l.record_type = 'Appointment'))::int AS unlogged FROM appointment a WHERE a.created_at >= $1`, [since]);
  const [consents] = await rows<{ n: number; short: number }>(owner.core,
    `WITH e AS (SELECT customer_id, count(*) AS n FROM consent_event WHERE changed_at >= $1 GROUP BY 1),
          l AS (SELECT customer_id, count(*) AS n FROM personal_change_log_entry WHERE subject = 'Consent' AND occurred_at >= $1::timestamptz - interval '1 second' GROUP BY 1)
     SELECT coalesce(sum(e.n), 0)::int AS n, count(*) FILTER (WHERE coalesce(l.n, 0) < e.n)::int AS short FROM e LEFT JOIN l USING (customer_id)`, [since]);
  const changed = await rows<{ id: string }>(owner.clinical, 'SELECT id::text AS id FROM examination WHERE updated_at >= $1', [since]);
  const logged = new Set((await rows<{ id: string }>(owner.clinical,
    `SELECT DISTINCT record_id::text AS id FROM clinical_change_log_entry WHERE occurred_at >= $1::timestamptz - interval '1 second' AND record_id = ANY($2::uuid[])`,
    [since, changed.map((c) => c.id)])).map((r) => r.id));
  const examUnlogged = changed.filter((c) => !logged.has(c.id)).length;
  return [
    { ok: appointments.unlogged === 0, line: `appointments created ${appointments.n}: ${appointments.unlogged === 0 ? 'each has its change-log entry' : `${appointments.unlogged} without`}` },
    { ok: consents.short === 0, line: `consent events ${consents.n}: ${consents.short === 0 ? 'each customer has as many Consent change-log entries' : `${consents.short} customers with fewer log entries than events`}` },
    { ok: examUnlogged === 0, line: `examinations changed ${changed.length}: ${examUnlogged === 0 ? 'each has its change-log entry' : `${examUnlogged} without`}` },
  ];
}
