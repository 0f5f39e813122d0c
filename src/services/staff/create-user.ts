/**
 * createUser: a member of staff (kind STAFF: with a one-time invitation to set their own password) or a service
 * account (kind SERVICE: no invitation, never a password) in the caller's chain. Users are chain-wide rows: the check
 * is `create User` (and each input field) against `{ chainId }`, so only chain-scoped grants may create. Written,
 * in one transaction, to the security settings history (`User`, and `Invitation` for the invitation).
 */
import { User } from '../../schema/core/user.entity';
import { CreatedUser } from '../../schema/core/staff.types';
import { UserKind, UserStatus } from '../../schema/enums';
import { CreateUserInput } from '../../schema/inputs/staff.inputs';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { issueInvitation } from './issue-invitation';
import { userRecord } from './user-record';
import {
  assertEmailFree, assertKindFits, emailTakenByRace, validEmail, validKind, validProfession, validRegistrationNumber, validUserName,
} from './user-validation';

export async function createUser(ctx: AuthenticatedContext, input: CreateUserInput): Promise<CreatedUser> {
  const { principal, ability } = ctx;
  // The input is checked before anything is looked up: bad input is reported whatever exists.
  const name = validUserName(input.name);
  const email = validEmail(input.email);
  const profession = validProfession(input.profession);
  const registrationNumber = validRegistrationNumber(input.registrationNumber);
  const kind = validKind(input.kind);
  assertKindFits(kind, profession, registrationNumber);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'create', 'User', { chainId: principal.chainId }, fieldsSet(input));
    await assertEmailFree(tx, email);
    const inserted = await tx.getRepository(User).insert({
      chainId: principal.chainId, name, email, profession, registrationNumber, kind, status: UserStatus.ACTIVE, passwordHash: null,
    }).catch(emailTakenByRace);
    const user = await tx.getRepository(User).findOneByOrFail({ id: String(inserted.identifiers[0].id) });
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'User', before: {}, after: userRecord(user), weakened: [] });
    const invitation = kind === UserKind.STAFF ? await issueInvitation(tx, principal, ctx.request, user) : null;
    return { user, invitation };
  });
}
