/**
 * Counts the rows of the clinical access log, before and after a request or a round, so a benchmark knows
 * which arms wrote it and how many rows per request.
 */
import { Client } from 'pg';

/** Rows in the clinical access log (all chains); `url`: the clinical database as its owner. */
export async function countAccessLog(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM clinical_access_log_entry');
    return Number(result.rows[0].n);
  } finally {
    await client.end();
  }
}
