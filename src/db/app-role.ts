/**
 * The application's login role on the embedded PostgreSQL: created on first use (roles belong to the whole
 * server, so once per data folder, or per test run), kept unprivileged (NOSUPERUSER NOINHERIT NOCREATEDB
 * NOCREATEROLE NOREPLICATION NOBYPASSRLS) and its password kept equal to VISUS_APP_DB_PASSWORD. Its
 * privileges on the tables come from app-grants.ts. With external databases the role is the DBA's to create
 * (see the README); this file only builds its URLs then.
 */
import { Client } from 'pg';
import { quoteIdent } from './app-grants';

export interface AppLogin {
  role: string;
  password: string;
}

const ATTRIBUTES = 'LOGIN NOSUPERUSER NOINHERIT NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

/** `url` with the user and password replaced. */
export function urlWithLogin(url: string, login: AppLogin): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(login.role);
  parsed.password = encodeURIComponent(login.password);
  return parsed.toString();
}

/** Runs `work` on a fresh client of `url`, always ending it. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs `work` in a transaction holding the server-wide role lock (concurrent CREATE/ALTER ROLE can fail). */
async function underRoleLock(adminUrl: string, work: (client: Client) => Promise<void>): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('visus_app_role'))`);
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
}

async function canLogIn(url: string): Promise<boolean> {
  try {
    await withClient(url, () => Promise.resolve());
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false; // invalid_password
    throw error;
  }
}

/**
 * Creates the login role if missing, resets its attributes if they drifted and its password if it no longer
 * matches. `adminUrl`: a superuser connection to the server (any database).
 */
export async function ensureAppLoginRole(adminUrl: string, login: AppLogin): Promise<void> {
  const role = quoteIdent(login.role);
  let created = false;
  await underRoleLock(adminUrl, async (client) => {
    const { rows } = await client.query<{ restricted: boolean }>(
      `SELECT rolcanlogin AND NOT (rolsuper OR rolinherit OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) AS restricted
         FROM pg_roles WHERE rolname = $1`,
      [login.role],
    );
    if (rows.length === 0) {
      await client.query(`CREATE ROLE ${role} ${ATTRIBUTES} PASSWORD ${client.escapeLiteral(login.password)}`);
      created = true;
    } else if (!rows[0].restricted) {
      await client.query(`ALTER ROLE ${role} ${ATTRIBUTES}`);
    }
  });
  if (created || (await canLogIn(urlWithLogin(adminUrl, login)))) return;
  await underRoleLock(adminUrl, async (client) => {
    await client.query(`ALTER ROLE ${role} PASSWORD ${client.escapeLiteral(login.password)}`);
  });
}
