/**
 * The rules every new password must meet (NIST SP 800-63B-4 §3.1.1.2).
 *
 * PLACEHOLDER until the password policy lands (issue 13): only the length rules.
 */
import { EntityManager } from 'typeorm';
import { badInput } from '../errors/errors';

export interface PasswordContext {
  /** The input path named in a refusal, e.g. "password" or "newPassword". */
  field: string;
  user: { name: string; email: string; chainId: string };
  /** The user has a second factor enrolled: 8 characters suffice, else 15. */
  hasSecondFactor: boolean;
}

export async function assertAcceptablePassword(_db: EntityManager, password: string, context: PasswordContext): Promise<void> {
  const length = [...password].length;
  const min = context.hasSecondFactor ? 8 : 15;
  if (length < min) throw badInput(context.field, `must be at least ${min} characters`);
  if (length > 256) throw badInput(context.field, 'must be at most 256 characters');
}
