/**
 * A chain's session limits: the idle timeout and the absolute session maximum (`authPolicy`).
 *
 * PLACEHOLDER until the auth policy lands (issue 13): the process configuration's values.
 */
import { EntityManager } from 'typeorm';
import { Config } from '../config/config';

export interface SessionLimits {
  idleMinutes: number;
  maxHours: number;
}

export async function sessionLimits(_db: EntityManager, _chainId: string, config: Config): Promise<SessionLimits> {
  return { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
}
