/**
 * assignRole, revokeAssignment, and an assignment's user and role.
 */
import { Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { assignRole, revokeAssignment } from '../services/roles/assignment-service';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { Role } from '../schema/core/role.entity';
import { User } from '../schema/core/user.entity';
import { AssignRoleInput } from '../schema/inputs/role.inputs';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => RoleAssignment)
export class AssignmentResolver {
  @Mutation(() => RoleAssignment, { description: 'Gives a user a role at the chain, a region or a store, optionally from/until a time. You must hold the role’s permissions there yourself.' })
  assignRole(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => AssignRoleInput) input: AssignRoleInput): Promise<RoleAssignment> {
    return assignRole(ctx, input);
  }

  @Mutation(() => Boolean, { nullable: false, description: 'Revokes an assignment; refused if it would leave the chain without a role manager.' })
  revokeAssignment(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return revokeAssignment(ctx, id);
  }

  @FieldResolver(() => User)
  user(@Root() assignment: RoleAssignment, @Ctx() ctx: AppContext): Promise<User | null> {
    return ctx.loaders.user.load(assignment.userId);
  }

  @FieldResolver(() => Role)
  role(@Root() assignment: RoleAssignment, @Ctx() ctx: AppContext): Promise<Role | null> {
    return ctx.loaders.role.load(assignment.roleId);
  }
}
