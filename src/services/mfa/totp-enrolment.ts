/**
 * beginTotpEnrollment and confirmTotpEnrollment for the signed-in member of staff (a session: an API token enrols
 * nothing). Begin stores a new 20-byte secret as the user's pending one (replacing any pending one: of concurrent
 * begins the last one's secret survives, and confirm checks against it) and answers it as base32, an otpauth URI
 * and a QR code. Replacing a confirmed authenticator, or adding one to an account with a passkey, needs a second factor
 * (src/policies/second-factor-rules.ts): the session must have proved one
 * within the re-authentication window (sign-in with a code, or `reauthenticate`), else UNAUTHENTICATED with
 * `extensions.reason` REAUTHENTICATION_REQUIRED; the confirmed one keeps working until the new one is confirmed.
 *
 * Confirm checks the code against the pending secret (one step either side), under the user's TOTP row locked
 * FOR UPDATE: of concurrent confirms exactly one wins, the others find nothing pending. It turns TOTP on (that step
 * counts as used), replaces the recovery codes with ten new ones (shown once, stored as argon2id hashes), records setting
 * SecondFactor in the security settings history, and upgrades an ENROLMENT session to FULL when the sign-in table
 * (src/auth/sign-in-step.ts) opens FULL for a password and a code: the confirm itself proved the code.
 */
import { GraphQLError } from 'graphql';
import { enrolledFactors, hasSecondFactor } from '../../auth/enrolled-factors';
import { requiredFactors } from '../../auth/factor-requirements';
import { MAX_CODE_LENGTH } from '../../auth/second-factor-check';
import { nextSignInStep } from '../../auth/sign-in-step';
import { hashRecoveryCode, newRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from '../../auth/totp/recovery-codes';
import { isTotpShaped, matchingStep, newTotpSecret, otpauthUri, toBase32 } from '../../auth/totp/totp-codes';
import { badInput, forbidden } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { mayAddSecondFactor } from '../../policies/second-factor-rules';
import { User } from '../../schema/core/user.entity';
import { UserTotp } from '../../schema/core/user-totp.entity';
import { SessionScope, UserKind } from '../../schema/enums';
import { RecoveryCodes } from '../../schema/auth/recovery-codes.type';
import { TotpEnrollment } from '../../schema/auth/totp-enrollment.type';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { secondFactorRecord } from './second-factor-record';

/** How long a begun enrolment can be confirmed. */
export const PENDING_TOTP_MINUTES = 30;
/** The re-authentication window (REAUTH_WINDOW_MINUTES in src/config once the auth policy lands; 5 minutes by default). */
function reauthenticationRequired(): GraphQLError {
  return new GraphQLError('Adding or replacing an authenticator needs your current second factor: reauthenticate (with your password and a code, or with your passkey) first.', {
    extensions: { code: 'UNAUTHENTICATED', reason: 'REAUTHENTICATION_REQUIRED' },
  });
}

function sessionOnly(ctx: AuthenticatedContext): Extract<AuthenticatedContext['credential'], { kind: 'SESSION' }> {
  const credential = ctx.credential;
  if (!credential || credential.kind !== 'SESSION') throw forbidden('Only a member of staff signed in with a session enrols an authenticator.');
  return credential;
}

export async function beginTotpEnrollment(ctx: AuthenticatedContext): Promise<TotpEnrollment> {
  const credential = sessionOnly(ctx);
  const secret = newTotpSecret();
  const user = await ctx.core.transaction(async (tx) => {
    const current = await tx.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id: ctx.principal.userId }).setLock('pessimistic_write').getOne();
    if (!current || current.kind !== UserKind.STAFF) throw forbidden('Only a member of staff enrols an authenticator.');
    // A confirmed authenticator or a passkey: adding or replacing one needs a second factor proved recently.
    if (!mayAddSecondFactor(credential, hasSecondFactor(await enrolledFactors(tx, current.id)), ctx.config.reauthWindowMinutes)) {
      throw reauthenticationRequired();
    }
    await tx.query(
      `INSERT INTO user_totp (user_id, chain_id, pending_secret, pending_since) VALUES ($1, $2, $3, now())
       ON CONFLICT (user_id) DO UPDATE SET pending_secret = EXCLUDED.pending_secret, pending_since = EXCLUDED.pending_since`,
      [current.id, current.chainId, secret],
    );
    return current;
  });
  const uri = otpauthUri(user.email, secret);
  return { secret: toBase32(secret), otpauthUri: uri, qrCodeSvg: await (await import('qrcode')).default.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
}

export async function confirmTotpEnrollment(ctx: AuthenticatedContext, code: string): Promise<RecoveryCodes> {
  const credential = sessionOnly(ctx);
  if (typeof code !== 'string' || !code.trim()) throw badInput('code', 'must not be empty');
  if (code.length > MAX_CODE_LENGTH) throw badInput('code', `must be at most ${MAX_CODE_LENGTH} characters`);
  if (!isTotpShaped(code)) throw badInput('code', 'must be the 6-digit code your authenticator app shows');
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
  // Hashed before the transaction (argon2id is slow on purpose); thrown away if the confirm is refused.
  const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c)!)));
  const generatedAt = await ctx.core.transaction(async (tx) => {
    const userId = ctx.principal.userId;
    const totp = await tx.getRepository(UserTotp).createQueryBuilder('t').where('t.userId = :userId', { userId }).setLock('pessimistic_write').getOne();
    if (!totp?.pendingSecret || !totp.pendingSince) throw badInput('code', 'no authenticator is being enrolled: call beginTotpEnrollment first');
    if (totp.pendingSince.getTime() < Date.now() - PENDING_TOTP_MINUTES * 60_000) {
      throw badInput('code', `the enrolment was begun more than ${PENDING_TOTP_MINUTES} minutes ago: call beginTotpEnrollment again`);
    }
    const step = await matchingStep(totp.pendingSecret, code);
    if (step === null) throw badInput('code', 'is not the current code of the authenticator being enrolled');
    const before = await secondFactorRecord(tx, userId);
    await tx.query(
      `UPDATE user_totp SET secret = pending_secret, confirmed_at = now(), last_used_step = $2, pending_secret = NULL, pending_since = NULL
        WHERE user_id = $1`,
      [userId, step],
    );
    await tx.query('DELETE FROM recovery_code WHERE user_id = $1', [userId]);
    await tx.query(
      'INSERT INTO recovery_code (user_id, code_hash) SELECT $1, unnest($2::text[])',
      [userId, hashes],
    );
    const after = await secondFactorRecord(tx, userId);
    await recordSecuritySettingChange(tx, ctx.principal, ctx.request, {
      setting: 'SecondFactor', before, after, weakened: [],
    });
    if (credential.scope === SessionScope.ENROLMENT) {
      const user = { id: userId, chainId: ctx.principal.chainId };
      const next = nextSignInStep(await requiredFactors(tx, user), await enrolledFactors(tx, userId), 'PASSWORD_AND_CODE');
      if (next.kind === 'OPEN' && next.scope === SessionScope.FULL) {
        await tx.query(`UPDATE session SET scope = 'FULL', second_factor = 'TOTP' WHERE id = $1 AND ended_at IS NULL`, [ctx.principal.sessionId]);
      }
    }
    const [{ now }]: { now: Date }[] = await tx.query('SELECT now() AS now');
    return new Date(now);
  });
  return { codes, generatedAt };
}
