/**
 * The log's clock never runs backwards, and no entry names an invented user: the database dates every
 * entry of the access log and both change logs under the chain's lock (never in the future, never before
 * the chain's previous entry), so seq order and time order agree even under concurrent writers; what the
 * application role supplies as a date is ignored, and the owner may not date an entry in the future (an
 * import dated before its predecessor is what `audit:verify` reports). `audit:verify` reports an entry out of time order (`misdated`) and every user or session
 * an entry names that does not exist in its chain.
 */
import { randomUUID } from 'node:crypto';
import { verifyActors } from '../../src/hash-chain/verify-actors';
import { verifyChangeLogs } from '../../src/hash-chain/change-log-chain';
import { verifyChains } from '../../src/hash-chain/verify-chain';
import { VerifyResult } from '../../src/hash-chain/chain-report';
import { startTestApp, TestApp } from '../support/test-app';
import { EMAIL } from '../support/actors';

const USERS = [EMAIL.leedsOptometrist, EMAIL.northManager, EMAIL.dpo, EMAIL.chainManager];
const LOGS = ['clinical_access_log_entry', 'clinical_change_log_entry'] as const;

describe('the audit trail’s clock and actors', () => {
  let app: TestApp;
  let chainId: string;
  let leedsStoreId: string;
  let leedsCustomers: string[];
  const tokens: string[] = [];

  const actorLogs = () => [
    { name: 'clinical access log', table: 'clinical_access_log_entry', db: app.clinical },
    { name: 'personal change log', table: 'personal_change_log_entry', db: app.core },
    { name: 'clinical change log', table: 'clinical_change_log_entry', db: app.clinical },
  ];

  async function timesInSeqOrder(db: 'core' | 'clinical', table: string): Promise<number[]> {
    const rows = (await (db === 'core' ? app.ownerCore : app.ownerClinical).query(
      `SELECT (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS us FROM ${table} WHERE chain_id = $1 ORDER BY seq`, [chainId],
    )) as { us: string }[];
    return rows.map((r) => Number(r.us));
  }
  const sorted = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]);

  beforeAll(async () => {
    app = await startTestApp();
    const [leeds] = (await app.core.query("SELECT id, chain_id FROM store WHERE name = 'Leeds'")) as { id: string; chain_id: string }[];
    chainId = leeds.chain_id;
    leedsStoreId = leeds.id;
    leedsCustomers = ((await app.core.query('SELECT id FROM customer WHERE home_store_id = $1 ORDER BY id LIMIT 12', [leeds.id])) as { id: string }[]).map((r) => r.id);
    for (const email of USERS) tokens.push(await app.login(email));
  });
  afterAll(() => app.stop());

  it('keeps time order equal to seq order under 48 concurrent clinical reads and 12 concurrent changes', async () => {
    const reads = Array.from({ length: 48 }, (_, i) => app.request(
      'query($id: ID!) { customer(id: $id) { examinations { id history } } }', { id: leedsCustomers[i % leedsCustomers.length] }, tokens[i % tokens.length],
    ));
    const changes = leedsCustomers.map((id, i) => app.request(
      `mutation($id: ID!) { updateCustomer(id: $id, input: { city: "Clock ${i}" }) { id } }`, { id }, tokens[3],
    ));
    const notes = leedsCustomers.slice(0, 6).map((id) => app.request(
      'mutation($c: ID!, $s: ID!) { addClinicalNote(input: { customerId: $c, storeId: $s, subjective: "clock test" }) { id } }', { c: id, s: leedsStoreId }, tokens[0],
    ));
    const results = await Promise.all([...reads, ...changes, ...notes]);
    expect(results.filter((r) => r.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'))).toEqual([]);
    const access = await timesInSeqOrder('clinical', 'clinical_access_log_entry');
    const personal = await timesInSeqOrder('core', 'personal_change_log_entry');
    const clinicalChanges = await timesInSeqOrder('clinical', 'clinical_change_log_entry');
    expect(access.length).toBeGreaterThan(20);
    expect(personal.length).toBeGreaterThanOrEqual(12);
    expect(clinicalChanges.length).toBeGreaterThanOrEqual(6);
    expect(sorted(access)).toBe(true);
    expect(sorted(personal)).toBe(true);
    expect(sorted(clinicalChanges)).toBe(true);
    const verified: VerifyResult = await verifyChains(app.clinical);
    expect(verified.ok).toBe(true);
    expect((await verifyChangeLogs({ core: app.core, clinical: app.clinical })).ok).toBe(true);
    expect((await verifyActors(app.core, actorLogs())).ok).toBe(true);
  });

  it.each(LOGS)('ignores a date the application role supplies to %s, in the past or the future', async (table) => {
    const [user] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [USERS[0]])) as { id: string }[];
    const [session] = (await app.core.query('SELECT id FROM session WHERE user_id = $1 ORDER BY last_seen_at DESC LIMIT 1', [user.id])) as { id: string }[];
    const q = app.clinical.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      const columns = table === 'clinical_access_log_entry'
        ? `(chain_id, occurred_at, user_id, session_id, request_id, customer_id, subject, record_ids, fields, outcome)
           VALUES ($1, $2, $3, $4, 'direct', $3, 'Examination', '{}', ARRAY['history'], 'GRANTED')`
        : `(chain_id, occurred_at, user_id, session_id, request_id, action, subject, record_type, record_id, customer_id, changes)
           VALUES ($1, $2, $3, $4, 'direct', 'UPDATE', 'Examination', 'Examination', $3, $3, '{}')`;
      for (const when of ['2001-01-01T00:00:00Z', '2999-01-01T00:00:00Z']) {
        await q.query(`INSERT INTO ${table} ${columns}`, [chainId, when, user.id, session.id]);
      }
      const [{ future }] = (await q.query(`SELECT count(*)::int AS future FROM ${table} WHERE request_id = 'direct' AND (occurred_at > clock_timestamp() OR occurred_at < now() - interval '1 hour')`)) as { future: number }[];
      expect(future).toBe(0);
      const rows = (await q.query(`SELECT (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS us FROM ${table} WHERE chain_id = $1 ORDER BY seq`, [chainId])) as { us: string }[];
      expect(sorted(rows.map((r) => Number(r.us)))).toBe(true);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it.each(LOGS)('refuses the owner an entry in %s dated in the future', async (table) => {
    const columns = table === 'clinical_access_log_entry'
      ? `(chain_id, occurred_at, user_id, session_id, request_id, customer_id, subject, record_ids, fields, outcome)
         VALUES ($1, $2, $3, $3, 'import', $3, 'Examination', '{}', ARRAY['history'], 'GRANTED')`
      : `(chain_id, occurred_at, user_id, session_id, request_id, action, subject, record_type, record_id, customer_id, changes)
         VALUES ($1, $2, $3, $3, 'import', 'UPDATE', 'Examination', 'Examination', $3, $3, '{}')`;
    await expect(app.ownerClinical.query(`INSERT INTO ${table} ${columns}`, [chainId, '2999-01-01T00:00:00Z', randomUUID()])).rejects.toThrow(/never dated in the future/);
  });

  it('reports an intact entry dated before its predecessor as misdated', async () => {
    const q = app.ownerClinical.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      await q.query('ALTER TABLE clinical_access_log_entry DISABLE TRIGGER USER');
      // the chain's last entry, moved an hour back and re-hashed so that only its date is wrong
      await q.query(
        `UPDATE clinical_access_log_entry e SET occurred_at = occurred_at - interval '1 hour' WHERE chain_id = $1 AND seq = (SELECT max(seq) FROM clinical_access_log_entry WHERE chain_id = $1)`,
        [chainId],
      );
      await q.query(
        `UPDATE clinical_access_log_entry e SET content_hash = sha256(clinical_access_log_content_v2(e)) WHERE chain_id = $1 AND seq = (SELECT max(seq) FROM clinical_access_log_entry WHERE chain_id = $1)`,
        [chainId],
      );
      await q.query(
        `UPDATE clinical_access_log_entry e SET hash = sha256(convert_to(clinical_access_log_canon_value(seq::text), 'UTF8') || prev_hash || content_hash)
          WHERE chain_id = $1 AND seq = (SELECT max(seq) FROM clinical_access_log_entry WHERE chain_id = $1)`,
        [chainId],
      );
      await q.query('ALTER TABLE clinical_access_log_entry ENABLE TRIGGER USER');
      const report = (await verifyChains(q)).chains.find((c) => c.chainId === chainId)!;
      expect(report.ok).toBe(false);
      expect(report.problems!.map((p) => p.kind)).toEqual(['misdated']);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it('reports entries naming a user or session that does not exist in the chain', async () => {
    const stranger = randomUUID();
    const [realUser] = (await app.core.query('SELECT id FROM staff_user WHERE email = $1', [USERS[0]])) as { id: string }[];
    const q = app.clinical.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    try {
      for (const [user, session] of [[stranger, stranger], [realUser.id, randomUUID()]]) {
        await q.query(
          `SELECT clinical_access_log_append($1, $2, $3, 'forged', NULL, NULL, NULL, NULL, ARRAY[$2::uuid], ARRAY[NULL::uuid], ARRAY['Examination'],
             ARRAY['{}'], ARRAY['{history}'], ARRAY['GRANTED'], ARRAY['{}'], ARRAY[NULL::uuid])`,
          [chainId, user, session],
        );
      }
      const result = await verifyActors(app.core, [{ name: 'clinical access log', table: 'clinical_access_log_entry', db: q }]);
      expect(result.ok).toBe(false);
      expect(result.lines[0]).toMatch(/2 \(user, session\) pairs/);
      expect(result.lines.join('\n')).toContain(stranger);
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });
});
