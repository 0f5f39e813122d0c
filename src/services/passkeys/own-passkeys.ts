/**
 * The signed-in member of staff's own passkeys: `passkeys` (id, name, dates; never the key) and `removePasskey`
 * (one of their own, after a recent re-authentication: src/policies/passkey-rules.ts). Another user's passkey,
 * or no such id, is NOT_FOUND. Removing weakens the account: the security settings history (setting `Passkey`)
 * names it in `weakened`, and a SETTING_WEAKENED security event (setting `passkeys`, count before and after) is
 * raised in the same transaction. Removing the last passkey is allowed; if the chain's policy requires one, the
 * next sign-in is an ENROLMENT session (src/auth/sign-in-step.ts).
 */
import { recordSettingWeakened } from '../../audit/security-event-log';
import { notFound } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMayRemovePasskey, assertSessionForPasskeys } from '../../policies/passkey-rules';
import { Passkey } from '../../schema/core/passkey.entity';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { passkeyRecord } from './passkey-record';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ownPasskeys(ctx: AuthenticatedContext): Promise<Passkey[]> {
  assertSessionForPasskeys(ctx.credential);
  return ctx.core.getRepository(Passkey).find({ where: { userId: ctx.principal.userId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export async function removePasskey(ctx: AuthenticatedContext, id: string): Promise<boolean> {
  const { principal } = ctx;
  assertMayRemovePasskey(ctx.credential, ctx.config.reauthWindowMinutes);
  if (!UUID.test(id)) throw notFound('Passkey');
  return ctx.core.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM staff_user WHERE id = $1 FOR UPDATE', [principal.userId]);
    const passkey = await tx.getRepository(Passkey).findOneBy({ id, userId: principal.userId });
    if (!passkey) throw notFound('Passkey');
    const before = await tx.getRepository(Passkey).countBy({ userId: principal.userId });
    await tx.query('DELETE FROM passkey WHERE id = $1', [passkey.id]);
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'Passkey', before: passkeyRecord(passkey), after: {}, weakened: ['passkeys'] });
    await recordSettingWeakened(tx, { chainId: principal.chainId, userId: principal.userId, setting: 'passkeys', before, after: before - 1 });
    return true;
  });
}
