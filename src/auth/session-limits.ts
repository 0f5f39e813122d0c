/**
 * A chain's session limits: the idle timeout and the absolute session maximum (`authPolicy`, docs/auth-policy.md),
 * read at sign-in by every way in; the session row keeps its idle minutes (`session.idle_minutes`) and its end
 * (`max_expires_at`), so a policy change applies to sessions opened afterwards. A chain without its own limits has the
 * process configuration's (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS).
 */
import { EntityManager } from 'typeorm';
import { Config } from '../config/config';
import { AuthPolicy } from '../schema/core/auth-policy.entity';

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

export async function sessionLimits(db: EntityManager, chainId: string, config: Config): Promise<SessionLimits> {
  const row = await db.getRepository(AuthPolicy).findOneBy({ chainId });
  return { idleMinutes: row?.idleTimeoutMinutes ?? config.sessionIdleMinutes, maxHours: row?.sessionMaxHours ?? config.sessionMaxHours };
}
