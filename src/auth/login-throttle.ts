/**
 * Login throttling, kept in PostgreSQL so every API process shares it: after LOGIN_MAX_FAILURES
 * failed sign-ins for one email since its last success (or ten times that from one client address)
 * within LOGIN_WINDOW_MINUTES, further attempts are refused without checking the password.
 */
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Config } from '../config/config';
import { unauthenticated } from '../errors/errors';
import { LoginAttempt } from '../schema/core/login-attempt.entity';

export function emailHash(normalisedEmail: string): Buffer {
  return createHash('sha256').update(normalisedEmail, 'utf8').digest();
}

export async function assertNotThrottled(manager: EntityManager, config: Config, hash: Buffer, clientAddress: string | null): Promise<void> {
  const [row]: { byEmail: string; byAddress: string }[] = await manager.query(
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
}

export async function recordAttempt(manager: EntityManager, hash: Buffer, clientAddress: string | null, succeeded: boolean): Promise<void> {
  await manager.getRepository(LoginAttempt).insert({ emailHash: hash, clientAddress, succeeded });
}
