/**
 * users (staff of the caller's chain), a user's role assignments, and the role change history.
 */
import { Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RoleChange } from '../schema/core/role-change.entity';
import { User } from '../schema/core/user.entity';
import { listRoleChanges } from '../services/roles/role-changes';
import { listUsers } from '../services/staff-service';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { nullable: false, description: 'Staff of the caller’s chain that the caller may see, by name (by id if the caller may not read every name); optionally only the one with an email (case-insensitive, exact).' })
  users(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('email', () => String, { nullable: true, description: 'Only the member of staff with this email (case-insensitive, exact match): [] when none you may see has it.' }) email?: string,
  ): Promise<User[]> {
    return listUsers(ctx, email);
  }

  @Query(() => [RoleChange], { nullable: false, description: 'Changes to roles and assignments, newest first (optionally of one role).' })
  roleChanges(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('roleId', () => ID, { nullable: true }) roleId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
  ): Promise<RoleChange[]> {
    return listRoleChanges(ctx, { roleId, first });
  }

  @FieldResolver(() => [RoleAssignment], { description: 'The roles this user holds, and where (those the caller may see).' })
  roleAssignments(@Root() user: User, @Ctx() ctx: AppContext): Promise<RoleAssignment[]> {
    return ctx.loaders.roleAssignmentsOfUser.load(user.id);
  }
}
