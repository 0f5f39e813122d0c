/**
 * updateUser: a user's name, email, profession or registration number. Checked as `update User` on each field
 * given, against the chain-wide row (only chain-scoped grants reach users); a user the caller may not read is
 * NOT_FOUND. The email stays unique across every chain; profession SERVICE_ACCOUNT stays exactly for service
 * accounts. Written, in the same transaction, to the security settings history (`User`, before and after).
 */
import { User } from '../../schema/core/user.entity';
import { UpdateUserInput } from '../../schema/inputs/staff.inputs';
import { badInput } from '../../errors/errors';
import { recordSecuritySettingChange } from '../../hash-chain/security-setting-chain';
import { assertMay, fieldsSet } from '../../policies/input-guard';
import { AuthenticatedContext } from '../../context/authenticated-context';
import { findVisible, USER_COLUMNS } from '../visible-rows';
import { userRecord } from './user-record';
import {
  assertEmailFree, assertKindFits, emailTakenByRace, validEmail, validProfession, validRegistrationNumber, validUserName,
} from './user-validation';

interface UserChanges {
  name?: string;
  email?: string;
  profession?: User['profession'];
  registrationNumber?: string | null;
}

function validChanges(input: UpdateUserInput): UserChanges {
  const changes: UserChanges = {};
  if (input.name !== undefined) changes.name = validUserName(input.name);
  if (input.email !== undefined) changes.email = validEmail(input.email);
  if (input.profession !== undefined) changes.profession = validProfession(input.profession);
  if (input.registrationNumber !== undefined) changes.registrationNumber = validRegistrationNumber(input.registrationNumber);
  if (Object.keys(changes).length === 0) throw badInput('input', 'must change at least one field');
  return changes;
}

export async function updateUser(ctx: AuthenticatedContext, id: string, input: UpdateUserInput): Promise<User> {
  const { principal, ability } = ctx;
  const changes = validChanges(input);
  return ctx.core.transaction(async (tx) => {
    assertMay(ability, 'update', 'User', { chainId: principal.chainId }, fieldsSet(changes));
    const user = await findVisible(tx, { entity: User, subjectName: 'User', alias: 'u', columns: USER_COLUMNS, lock: 'update' }, principal, ability, id);
    assertKindFits(user.kind, changes.profession ?? user.profession, changes.registrationNumber !== undefined ? changes.registrationNumber : user.registrationNumber);
    if (changes.email !== undefined && changes.email !== user.email) await assertEmailFree(tx, changes.email, user.id);
    const before = userRecord(user);
    await tx.getRepository(User).update({ id: user.id }, changes).catch(emailTakenByRace);
    const updated = await tx.getRepository(User).findOneByOrFail({ id: user.id });
    await recordSecuritySettingChange(tx, principal, ctx.request, { setting: 'User', before, after: userRecord(updated), weakened: [] });
    return updated;
  });
}
