/**
 * users (staff of the caller's chain), a user's role assignments, and the role change history.
 */
import { Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { badInput } from '../errors/errors';
import { assertListable, givenFilters, readableWhereverVisible } from '../policies/filter-guard';
import { accessibleSql, SqlParams } from '../policies/sql-condition';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RoleChange } from '../schema/core/role-change.entity';
import { User } from '../schema/core/user.entity';
import { isUuid } from '../schema/uuid';
import { whereEmailIs } from '../services/name-lookups';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { nullable: false, description: 'Staff of the caller’s chain that the caller may see, by name (by id if the caller may not read every name); optionally only the one with an email (case-insensitive, exact).' })
  users(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('email', () => String, { nullable: true, description: 'Only the member of staff with this email (case-insensitive, exact match): [] when none you may see has it.' }) email?: string,
  ): Promise<User[]> {
    const { principal, ability } = ctx;
    const params = new SqlParams();
    const qb = ctx.core.getRepository(User).createQueryBuilder('u')
      .where('u.chainId = :chainId', { chainId: principal.chainId })
      .andWhere(accessibleSql(ability, 'read', 'User', { chainId: 'u.chain_id', storeId: 'NULL::uuid', id: 'u.id' }, params), params.values);
    if (email !== undefined && email !== null) whereEmailIs(qb, ability, email);
    // By name only where every name the caller sees is readable to them; otherwise by id (no inference through order).
    return qb.orderBy(readableWhereverVisible(ability, 'User', 'name') ? 'u.name' : 'u.id').getMany();
  }

  @Query(() => [RoleChange], { nullable: false, description: 'Changes to roles and assignments, newest first (optionally of one role).' })
  roleChanges(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('roleId', () => ID, { nullable: true }) roleId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
  ): Promise<RoleChange[]> {
    const { principal, ability } = ctx;
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badInput('first', 'must be between 1 and 500');
    if (roleId && !isUuid(roleId)) throw badInput('roleId', 'is not a role id');
    assertListable(ability, { list: 'roleChanges', subject: 'RoleChange', orderedBy: 'id', filters: givenFilters({ roleId }, { roleId: 'roleId' }) });
    const params = new SqlParams();
    const qb = ctx.core.getRepository(RoleChange).createQueryBuilder('c')
      .where('c.chainId = :chainId', { chainId: principal.chainId })
      .andWhere(accessibleSql(ability, 'read', 'RoleChange', { chainId: 'c.chain_id', storeId: 'NULL::uuid', id: 'c.id' }, params), params.values);
    if (roleId) qb.andWhere('c.roleId = :roleId', { roleId });
    return qb.orderBy('c.id', 'DESC').limit(first).getMany();
  }

  @FieldResolver(() => [RoleAssignment], { description: 'The roles this user holds, and where (those the caller may see).' })
  roleAssignments(@Root() user: User, @Ctx() ctx: AppContext): Promise<RoleAssignment[]> {
    return ctx.loaders.roleAssignmentsOfUser.load(user.id);
  }
}
