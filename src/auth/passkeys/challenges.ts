/**
 * WebAuthn challenges (table webauthn_challenge): issued by the begin… fields (the options' random challenge), valid
 * CHALLENGE_MINUTES, and spent by one atomic UPDATE before the answer is verified. Spending first means a
 * challenge is answered at most once, whatever the answer and however many requests carry it at the same time
 * (of concurrent finishes exactly one gets the row). A registration challenge is bound to the user and the
 * session that asked for it.
 */
import { EntityManager } from 'typeorm';
import { CHALLENGE_MINUTES } from './relying-party';

export type ChallengePurpose = 'REGISTRATION' | 'AUTHENTICATION';

export interface IssuedChallenge {
  /** The handle the client hands back with its answer. */
  id: string;
  /** The challenge the authenticator signs (base64url). */
  challenge: string;
}

/** Stores `challenge` (the ceremony options' own: 32 random bytes, base64url) and returns its handle. */
export async function issueChallenge(
  db: EntityManager, purpose: ChallengePurpose, challenge: string, owner: { userId: string; sessionId: string } | null,
): Promise<IssuedChallenge> {
  // Housekeeping: challenges a day past their expiry are of no use to anyone.
  await db.query(`DELETE FROM webauthn_challenge WHERE expires_at < now() - interval '1 day'`);
  const rows: { id: string }[] = await db.query(
    `INSERT INTO webauthn_challenge (purpose, challenge, user_id, session_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING id`,
    [purpose, challenge, owner?.userId ?? null, owner?.sessionId ?? null, CHALLENGE_MINUTES],
  );
  return { id: rows[0].id, challenge };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Spends the challenge: returns its text when it was unused, unexpired, of this purpose and (for a
 * registration) the given owner's; null otherwise. Runs as its own statement, committed at once.
 */
export async function spendChallenge(
  db: EntityManager, id: string, purpose: ChallengePurpose, owner: { userId: string; sessionId: string } | null,
): Promise<string | null> {
  if (!UUID.test(id)) return null;
  const rows: { challenge: string }[] = await db.query(
    `WITH spent AS (UPDATE webauthn_challenge SET used_at = now()
        WHERE id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
          AND user_id IS NOT DISTINCT FROM $3 AND session_id IS NOT DISTINCT FROM $4
      RETURNING challenge) SELECT challenge FROM spent`,
    [id, purpose, owner?.userId ?? null, owner?.sessionId ?? null],
  );
  return rows[0]?.challenge ?? null;
}
