/**
 * The connection budget of the API's processes. Every API process opens one pool per database (core and
 * clinical), and `npm start` runs WEB_CONCURRENCY of them (src/server/cluster.ts), so the connections a server
 * may open grow with the workers. A stock PostgreSQL allows 100 connections (the embedded one 200): by default
 * the API processes together keep to 80 per PostgreSQL server, counting both databases as if on one server,
 * which leaves room for the owner's scripts, backups and the superuser's reserved slots. Per process and
 * database that is floor(80 / (2 × workers)), at most 20 (one process: 20, two: 20, four: 10, eight: 5) and at
 * least 2 (from 21 workers on the total passes 80: raise PostgreSQL's max_connections, or set DB_POOL_SIZE).
 * DB_POOL_SIZE overrides it: the connections of each pool of each process. (Imports nothing heavy: src/main.ts
 * reads it before it loads the rest.)
 */
import { StartupError } from '../errors/startup-error';

/** Connections per pool when nothing says otherwise (scripts, tests, one API process). */
export const DEFAULT_POOL_SIZE = 20;

/** Connections all API processes together may hold, per PostgreSQL server (both databases counted). */
export const CONNECTION_BUDGET = 80;
const MIN_POOL_SIZE = 2;

/** Each pool's size for one of `workers` API processes: DB_POOL_SIZE, or the share of the budget. */
export function poolSizeFor(workers: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DB_POOL_SIZE?.trim();
  if (raw) {
    if (!/^[1-9][0-9]{0,3}$/.test(raw)) throw new StartupError(`DB_POOL_SIZE must be a whole number from 1 (got "${raw}").`);
    return Number(raw);
  }
  return Math.max(MIN_POOL_SIZE, Math.min(DEFAULT_POOL_SIZE, Math.floor(CONNECTION_BUDGET / (2 * workers))));
}
