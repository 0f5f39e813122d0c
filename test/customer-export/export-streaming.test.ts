/**
 * The customer data export is streamed: a customer with a long history (tens of thousands of appointments and
 * thousands of consent events, inserted directly) is read from cursors and written with backpressure. While
 * the client holds the response unread, the server is still inside its read snapshot (it has not read the
 * history to the end: an export built whole in memory would have finished reading, and ended its snapshot,
 * before the first byte left); read to the end, the document is complete and the snapshot ended. A client that
 * disconnects mid-stream leaves no open transaction in either database, every pool client back, and the export
 * logged with `completed: false` and only the parts sent.
 */
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Pool } from 'pg';
import { signIn } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { exportBase } from './export-support';

const APPOINTMENTS = 40000;
const CONSENT_EVENTS = 5000;

describe('customer data export: streaming', () => {
  let app: TestApp;
  let token: string;
  let customerId: string;
  let dpoId: string;

  beforeAll(async () => {
    app = await startTestApp();
    token = (await signIn(app, 'dpo')).token;
    [{ id: dpoId }] = await app.ownerCore.query(`SELECT id FROM staff_user WHERE email = 'dpo@clearview.example'`);
    const [{ chainId, storeId }]: { chainId: string; storeId: string }[] = await app.ownerCore.query(
      `SELECT s.chain_id AS "chainId", s.id AS "storeId" FROM store s JOIN chain c ON c.id = s.chain_id WHERE c.name = 'Clearview Opticians' AND s.name = 'Leeds'`,
    );
    [{ id: customerId }] = await app.ownerCore.query(
      `INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth, email) VALUES ($1, $2, 'Long', 'History', '1950-05-05', 'long.history@example.test') RETURNING id`,
      [chainId, storeId],
    );
    await app.ownerCore.query(
      `INSERT INTO appointment (chain_id, store_id, customer_id, type, starts_at, ends_at, status)
       SELECT $1, $2, $3, 'SIGHT_TEST', timestamptz '2000-01-01' + n * interval '1 day', timestamptz '2000-01-01' + n * interval '1 day' + interval '30 minutes', 'COMPLETED'
         FROM generate_series(1, ${APPOINTMENTS}) AS n`,
      [chainId, storeId, customerId],
    );
    await app.ownerCore.query(
      `INSERT INTO consent_event (chain_id, customer_id, channel, granted, changed_at, actor, source, wording_version)
       SELECT $1, $2, 'EMAIL', n % 2 = 0, timestamptz '2000-01-01' + n * interval '1 hour', 'CUSTOMER', 'WEBSITE', '2024-01' FROM generate_series(1, ${CONSENT_EVENTS}) AS n`,
      [chainId, customerId],
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function openTransactions(): Promise<number> {
    let open = 0;
    for (const db of [app.ownerCore, app.ownerClinical]) {
      const rows: unknown[] = await db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND (state LIKE 'idle in transaction%' OR (state = 'active' AND query NOT ILIKE '%pg_stat_activity%'))`,
      );
      open += rows.length;
    }
    return open;
  }

  const pools = (): Pool[] => [app.core, app.clinical].map((db) => (db.driver as PostgresDriver).master as Pool);

  it('sends the first chunks while still reading the history, and the whole history by the end', async () => {
    const response = await fetch(`${exportBase(app)}/exports/customers/${customerId}?format=json`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The client holds the rest: the server, paused behind it, is still in its snapshot (core and clinical).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await openTransactions()).toBeGreaterThanOrEqual(1);
    const chunks: Uint8Array[] = [first.value!];
    let chunkCount = 1;
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      chunkCount += 1;
    }
    expect(chunkCount).toBeGreaterThan(10);
    const doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(doc.appointments).toHaveLength(APPOINTMENTS);
    expect(doc.consentHistory).toHaveLength(CONSENT_EVENTS);
    expect(doc.notIncluded.length).toBeGreaterThan(0);
    await waitFor(async () => (await openTransactions()) === 0);
  });

  it('a client that disconnects mid-stream leaves no open transaction and the export logged as not completed', async () => {
    const controller = new AbortController();
    const response = await fetch(`${exportBase(app)}/exports/customers/${customerId}?format=xml`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await openTransactions()).toBeGreaterThanOrEqual(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);

    const cutOff = async () => (await app.ownerCore.query(
      `SELECT completed, parts FROM customer_data_export WHERE user_id = $1 AND customer_id = $2 AND format = 'xml'`, [dpoId, customerId],
    )) as { completed: boolean; parts: string[] }[];
    await waitFor(async () => (await cutOff()).length > 0);
    const [logged] = await cutOff();
    expect(logged.completed).toBe(false);
    expect(logged.parts).toContain('customer');
    expect(logged.parts).not.toContain('notIncluded');
    await waitFor(async () => (await openTransactions()) === 0);
    expect(await openTransactions()).toBe(0);
    await waitFor(async () => pools().every((pool) => pool.totalCount === pool.idleCount));
    expect(pools().every((pool) => pool.waitingCount === 0)).toBe(true);

    // The next export streams to its end.
    const again = await fetch(`${exportBase(app)}/exports/customers/${customerId}?format=json`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(JSON.parse(await again.text()).appointments).toHaveLength(APPOINTMENTS);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
