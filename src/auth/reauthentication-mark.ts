/**
 * Recording a fresh proof of identity on the caller's own session (`reauthenticate`, `reauthenticateWithPasskey`):
 * sensitive acts need `session.authenticated_at` within the re-authentication window (src/policies/credential-rules.ts).
 * Run inside the caller's transaction; returns the new `authenticated_at`.
 */
import { EntityManager } from 'typeorm';
import { SecondFactorKind } from './open-session';

export async function markReauthenticated(tx: EntityManager, sessionId: string, secondFactor: SecondFactorKind | null): Promise<Date> {
  const rows: { authenticatedAt: Date | string }[] = await tx.query(
    // Wrapped in a CTE so the driver returns plain rows (it returns [rows, count] for a bare UPDATE).
    `WITH marked AS (UPDATE session SET authenticated_at = now(), second_factor = COALESCE($2, second_factor)
      WHERE id = $1 AND ended_at IS NULL RETURNING authenticated_at) SELECT authenticated_at AS "authenticatedAt" FROM marked`,
    [sessionId, secondFactor],
  );
  const row = rows[0];
  if (!row) throw new Error('markReauthenticated: the session is not open');
  return new Date(row.authenticatedAt);
}
