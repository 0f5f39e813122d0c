/**
 * The one demo user with MFA on, so the TOTP sign-in can be tried (README, "Try MFA"): Maya Ferreira,
 * `mfa.optometrist@clearview.example`, Optometrist at Clearview's Harrogate store, password `Visus-demo-2026!`, a
 * confirmed TOTP authenticator with the published base32 secret `JBSWY3DPEHPK3PXP` (10 bytes: accepted for stored
 * secrets, src/auth/totp/totp-codes.ts; every enrolment through the API gets 20). No recovery codes are seeded.
 * Seeded after the chain's random data, so every other demo row is what it was before she existed.
 */
import { EntityManager } from 'typeorm';
import { fromBase32 } from '../auth/totp/totp-codes';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { Role } from '../schema/core/role.entity';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { UserTotp } from '../schema/core/user-totp.entity';
import { Profession, ScopeType, UserKind } from '../schema/enums';

export const MFA_DEMO_EMAIL = 'mfa.optometrist@clearview.example';
export const MFA_DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

export async function seedMfaDemoUser(tx: EntityManager, chainId: string, passwordHash: string, now: Date): Promise<void> {
  const store = await tx.getRepository(Store).findOneByOrFail({ chainId, name: 'Harrogate' });
  const role = await tx.getRepository(Role).findOneByOrFail({ chainId, name: 'Optometrist' });
  const user = await tx.getRepository(User).save({
    chainId, email: MFA_DEMO_EMAIL, name: 'Maya Ferreira', profession: Profession.OPTOMETRIST, registrationNumber: '01-56789',
    passwordHash, kind: UserKind.STAFF,
  });
  await tx.getRepository(RoleAssignment).insert({ chainId, userId: user.id, roleId: role.id, scopeType: ScopeType.STORE, regionId: null, storeId: store.id });
  await tx.getRepository(UserTotp).insert({ userId: user.id, chainId, secret: fromBase32(MFA_DEMO_TOTP_SECRET), confirmedAt: now, lastUsedStep: null, pendingSecret: null, pendingSince: null });
}
