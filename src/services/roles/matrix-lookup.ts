/**
 * Who and where for the matrix views: `explain` and `effectivePermissions` name the user by `userId` or by
 * `userEmail`, and the store by `storeId` or by `storeName`: exactly one of each pair (BAD_USER_INPUT naming
 * the pair's second argument when both are given, its first when neither is). A name is looked up among the
 * rows the caller may see with that field readable (src/services/name-lookups.ts): anything else is NOT_FOUND,
 * the answer an unknown id gets.
 */
import { badInput } from '../../errors/errors';
import { storeIdByName, userIdByEmail } from '../name-lookups';
import { AuthenticatedContext } from '../../context/authenticated-context';

export interface MatrixSubjects {
  userId?: string | null;
  userEmail?: string | null;
  storeId?: string | null;
  storeName?: string | null;
}

const given = (value: string | null | undefined): value is string => value !== undefined && value !== null;

/** Exactly one of the pair, or BAD_USER_INPUT naming the second argument (both given) or the first (neither). */
function checkPair(idArgument: string, id: string | null | undefined, nameArgument: string, name: string | null | undefined): void {
  if (given(id) && given(name)) throw badInput(nameArgument, `give ${idArgument} or ${nameArgument}, not both`);
  if (!given(id) && !given(name)) throw badInput(idArgument, `give ${idArgument} or ${nameArgument}`);
}

/** The user and store ids the matrix views are asked about. */
export async function matrixSubjectIds(ctx: AuthenticatedContext, args: MatrixSubjects): Promise<{ userId: string; storeId: string }> {
  // Both pairs are checked before either name is looked up: bad input is reported whatever exists.
  checkPair('userId', args.userId, 'userEmail', args.userEmail);
  checkPair('storeId', args.storeId, 'storeName', args.storeName);
  const userId = given(args.userId) ? args.userId : await userIdByEmail(ctx, 'userEmail', args.userEmail as string);
  const storeId = given(args.storeId) ? args.storeId : await storeIdByName(ctx, 'storeName', args.storeName as string);
  return { userId, storeId };
}
