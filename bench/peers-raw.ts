/**
 * `npm run bench:peers`' raw floor: node:http and pg, no GraphQL, no authorization. `GET /?storeId=<uuid>` runs
 * the page's two statements (bench/peers-page.ts) on one pool and answers `JSON.stringify({ data: { customers } })`
 * with each customer's appointments attached. `date` columns stay strings (as Visus and PostGraphile send them);
 * timestamps are pg's Dates, which JSON.stringify writes as ISO strings.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import pg from 'pg';
import { RAW_APPOINTMENTS_SQL, RAW_CUSTOMERS_SQL } from './peers-page';

const PG_DATE_OID = 1082;

export interface PeerServer {
  url: string;
  stop(): Promise<void>;
}

export async function startRawFloor(connectionString: string): Promise<PeerServer> {
  pg.types.setTypeParser(PG_DATE_OID, (value: string) => value);
  const pool = new pg.Pool({ connectionString, max: 10 });
  const server = http.createServer((req, res) => {
    const storeId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('storeId');
    void (async () => {
      const customers = (await pool.query<Record<string, unknown>>(RAW_CUSTOMERS_SQL, [storeId])).rows;
      const byId = new Map(customers.map((c) => [c.id as string, Object.assign(c, { appointments: [] as unknown[] })]));
      const appointments = (await pool.query<Record<string, unknown>>(RAW_APPOINTMENTS_SQL, [[...byId.keys()]])).rows;
      for (const a of appointments) byId.get(a.customerId as string)?.appointments.push(a);
      const body = JSON.stringify({ data: { customers } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
