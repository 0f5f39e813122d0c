/**
 * A client that disconnects in the middle of a streamed marketing list export (a list far larger than the
 * socket buffers, so the COPY is still running): afterwards no transaction is left open ('idle in
 * transaction', or a COPY still active) in the core database, the API's pool has every client back, the export
 * is logged with completed false and the rows sent so far, and the next export streams normally.
 */
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Pool } from 'pg';
import { Actors, CM } from '../support/manager-actors';
import { startTestApp, TestApp } from '../support/test-app';

const CUSTOMERS = 40000;

describe('streamed export: client disconnect', () => {
  let app: TestApp;
  let actors: Actors;
  let base: string;

  beforeAll(async () => {
    app = await startTestApp();
    actors = new Actors(app);
    base = app.url.replace(/\/graphql$/, '');
    const demo = await actors.demo();
    await app.ownerCore.query(
      `WITH made AS (
         INSERT INTO customer (chain_id, home_store_id, first_name, last_name, date_of_birth, email, address_line1, postcode)
         SELECT $1, $2, 'Bulk', 'Customer ' || n, '1990-01-01', 'bulk' || n || '@example.test', n || ' Long Road', 'LS9 9ZZ'
           FROM generate_series(1, ${CUSTOMERS}) AS n
         RETURNING id)
       INSERT INTO consent (chain_id, customer_id, channel, granted, changed_at, actor, source, wording_version)
       SELECT $1, id, 'EMAIL', TRUE, now(), 'STAFF', 'IMPORT', '2024-01' FROM made`,
      [demo.chainId, demo.stores.Leeds],
    );
  });

  afterAll(async () => {
    await app?.stop();
  });

  async function openTransactions(): Promise<{ state: string; query: string }[]> {
    return app.ownerCore.query(
      `SELECT state, left(query, 40) AS query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND (state LIKE 'idle in transaction%' OR (state = 'active' AND query ILIKE 'COPY%'))`,
    );
  }

  function pool(): Pool {
    return (app.core.driver as PostgresDriver).master as Pool;
  }

  it('cancels the COPY, rolls back, releases the client and logs the export as not completed', async () => {
    const token = await actors.token(CM);
    const [{ id: userId }]: { id: string }[] = await app.ownerCore.query('SELECT id FROM staff_user WHERE email = $1', [CM]);
    const controller = new AbortController();
    const response = await fetch(`${base}/exports/marketing-list?channel=EMAIL&format=csv`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    const manifest = JSON.parse(response.headers.get('x-visus-manifest')!);
    expect(manifest.included).toBeGreaterThan(CUSTOMERS);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The COPY is running (paused behind the client) while the client holds the stream.
    expect((await openTransactions()).length).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);

    await waitFor(async () => (await app.ownerCore.query(`SELECT 1 FROM marketing_list_export WHERE user_id = $1 AND route = 'STREAM'`, [userId])).length > 0);
    const [logged] = await app.ownerCore.query(`SELECT completed, row_count, manifest_hash FROM marketing_list_export WHERE user_id = $1 AND route = 'STREAM'`, [userId]);
    expect(logged.completed).toBe(false);
    expect(logged.manifest_hash).toBe(manifest.contentHash);
    expect(logged.row_count).toBeGreaterThan(0);
    expect(logged.row_count).toBeLessThan(manifest.included);

    await waitFor(async () => (await openTransactions()).length === 0);
    expect(await openTransactions()).toEqual([]);
    await waitFor(async () => pool().totalCount === pool().idleCount);
    expect(pool().waitingCount).toBe(0);

    // The next export streams to its end.
    const next = await fetch(`${base}/exports/marketing-list?channel=EMAIL&format=ndjson`, { headers: { authorization: `Bearer ${token}` } });
    const lines = (await next.text()).trim().split('\n');
    expect(lines.length).toBe(manifest.included + 1);
    expect(JSON.parse(lines.at(-1)!).manifest.contentHash).toBe(manifest.contentHash);
    await waitFor(async () => (await app.ownerCore.query(`SELECT 1 FROM marketing_list_export WHERE user_id = $1 AND route = 'STREAM'`, [userId])).length === 2);
    const rows: { completed: boolean; row_count: number }[] = await app.ownerCore.query(
      `SELECT completed, row_count FROM marketing_list_export WHERE user_id = $1 AND route = 'STREAM' ORDER BY occurred_at`, [userId]);
    expect(rows[1]).toEqual({ completed: true, row_count: manifest.included });
    await waitFor(async () => pool().totalCount === pool().idleCount);
    expect(await openTransactions()).toEqual([]);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
