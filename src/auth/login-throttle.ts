/**
 * Login throttling, kept in PostgreSQL so every API process shares it: after LOGIN_MAX_FAILURES
 * failed sign-ins for one email since its last success (or ten times that from one client address)
 * within LOGIN_WINDOW_MINUTES, further attempts are refused without checking the password.
 *
 * Exact under concurrency: an attempt is *reserved* before its password is checked. Under transaction
 * advisory locks on the email's hash and then on the client address (always in that order, so two
 * reservations never wait on each other in a cycle), the reservation counts the failures, refuses at the
 * limit, and inserts the attempt as a failure; the locks are held only for that count and insert, never
 * while the password is hashed. A sign-in that then succeeds marks its own attempt succeeded. So of
 * any number of parallel attempts, at most the limit ever reach the password check.
 */
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Config } from '../config/config';
import { unauthenticated } from '../errors/errors';

export function emailHash(normalisedEmail: string): Buffer {
  return createHash('sha256').update(normalisedEmail, 'utf8').digest();
}

/** Reserves one attempt (recorded as failed until `markSucceeded`), or refuses when the limit is reached. Returns its id. */
export async function reserveAttempt(core: DataSource, config: Config, hash: Buffer, clientAddress: string | null): Promise<string> {
  return core.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('visus.login.email:' || encode($1, 'hex'), 0))`, [hash]);
    if (clientAddress !== null) await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('visus.login.address:' || $1, 0))`, [clientAddress]);
    const [row]: { byEmail: string; byAddress: string }[] = await tx.query(
      `SELECT count(*) FILTER (WHERE email_hash = $1
                AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempt WHERE email_hash = $1 AND succeeded), '-infinity'))
                AS "byEmail",
              count(*) FILTER (WHERE client_address = $2) AS "byAddress"
         FROM login_attempt
        WHERE NOT succeeded AND attempted_at > now() - make_interval(mins => $3)
          AND (email_hash = $1 OR client_address = $2)`,
      [hash, clientAddress, config.loginWindowMinutes],
    );
    if (Number(row.byEmail) >= config.loginMaxFailures || Number(row.byAddress) >= config.loginMaxFailures * 10) {
      throw unauthenticated('Too many failed sign-ins; try again later.');
    }
    const [inserted]: { id: string }[] = await tx.query(
      'INSERT INTO login_attempt (email_hash, client_address, succeeded) VALUES ($1, $2, false) RETURNING id',
      [hash, clientAddress],
    );
    return inserted.id;
  });
}

/** The reserved attempt's password was right: it no longer counts as a failure. */
export async function markSucceeded(manager: EntityManager, attemptId: string): Promise<void> {
  await manager.query('UPDATE login_attempt SET succeeded = true WHERE id = $1', [attemptId]);
}
