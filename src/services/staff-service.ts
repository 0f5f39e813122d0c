/**
 * The staff of the caller's chain as the caller may see them: `users`, optionally the one with an email.
 */
import { readableWhereverVisible } from '../policies/filter-guard';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { User } from '../schema/core/user.entity';
import { AuthenticatedContext } from '../context/authenticated-context';
import { whereEmailIs } from './name-lookups';
import { USER_COLUMNS } from './visible-rows';

export function listUsers(ctx: AuthenticatedContext, email: string | null | undefined): Promise<User[]> {
  const { principal, ability } = ctx;
  const params = new SqlParams();
  const qb = ctx.core.getRepository(User).createQueryBuilder('u')
    .where('u.chainId = :chainId', { chainId: principal.chainId })
    .andWhere(accessibleSql(ability, 'read', 'User', USER_COLUMNS, params), params.values);
  if (email !== undefined && email !== null) whereEmailIs(qb, ability, email);
  // By name only where every name the caller sees is readable to them; otherwise by id (no inference through order).
  return qb.orderBy(readableWhereverVisible(ability, 'User', 'name') ? 'u.name' : 'u.id').getMany();
}
