/**
 * Recognises PostgreSQL constraint violations in the errors TypeORM throws, so a service can turn the
 * one it expects (a constraint that enforces a rule race-free) into a client error naming the input.
 */

/** SQLSTATEs of constraint violations (class 23). */
export const EXCLUSION_VIOLATION = '23P01';
export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';

/** The name of the constraint `error` violated with `code`, or null when it is another error. */
export function violatedConstraint(error: unknown, code: string): string | null {
  const driverError = (error as { driverError?: { code?: unknown; constraint?: unknown } } | null)?.driverError;
  if (!driverError || driverError.code !== code) return null;
  return typeof driverError.constraint === 'string' ? driverError.constraint : null;
}
