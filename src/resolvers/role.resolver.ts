/**
 * permissionCatalog, roles, role, createRole, updateRole, deleteRole, previewRoleChange, and a
 * role's entries and assignments.
 */
import { Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { CATALOG } from '../policies/catalog';
import { previewRoleChange } from '../services/roles/role-preview';
import { createRole, deleteRole, getRole, listRoles, updateRole } from '../services/roles/role-service';
import { RoleAssignment } from '../schema/core/role-assignment.entity';
import { RolePermission } from '../schema/core/role-permission.entity';
import { Role } from '../schema/core/role.entity';
import { CatalogSubject } from '../schema/roles/catalog.types';
import { PermissionChange } from '../schema/roles/matrix.types';
import { CreateRoleInput, UpdateRoleInput } from '../schema/roles/role.inputs';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver(() => Role)
export class RoleResolver {
  @Query(() => [CatalogSubject], { nullable: false, description: 'Every subject a role entry can name, its actions and its fields in groups.' })
  permissionCatalog(@Ctx() ctx: AppContext): CatalogSubject[] {
    requireAuth(ctx);
    return CATALOG.map((subject) => ({
      name: subject.name,
      description: subject.description,
      actions: [...subject.actions],
      clinical: subject.clinical,
      fieldGroups: [...new Set(subject.fields.map((f) => f.group))].map((group) => ({
        name: group,
        fields: subject.fields.filter((f) => f.group === group).map((f) => ({ name: f.name, description: f.description })),
      })),
    }));
  }

  @Query(() => [Role], { nullable: false, description: 'Roles of the caller’s chain, by name.' })
  roles(@Ctx() ctx: AppContext): Promise<Role[]> {
    const { principal, ability } = requireAuth(ctx);
    return listRoles(ctx, principal, ability);
  }

  @Query(() => Role, { description: 'One role; NOT_FOUND for another chain’s.' })
  role(@Ctx() ctx: AppContext, @Arg('id', () => ID) id: string): Promise<Role> {
    const { principal, ability } = requireAuth(ctx);
    return getRole(ctx, principal, ability, id);
  }

  @Mutation(() => Role, { description: 'Creates a role; entries are checked against the catalog.' })
  createRole(@Ctx() ctx: AppContext, @Arg('input', () => CreateRoleInput) input: CreateRoleInput): Promise<Role> {
    const { principal, ability } = requireAuth(ctx);
    return createRole(ctx, principal, ability, input);
  }

  @Mutation(() => Role, { description: 'Renames, describes or changes the entries of a role; applies to its holders’ next request.' })
  updateRole(@Ctx() ctx: AppContext, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<Role> {
    const { principal, ability } = requireAuth(ctx);
    return updateRole(ctx, principal, ability, id, input);
  }

  @Mutation(() => Boolean, { nullable: false, description: 'Deletes a role. Refused while it is assigned, unless removeAssignments is true.' })
  deleteRole(
    @Ctx() ctx: AppContext,
    @Arg('id', () => ID) id: string,
    @Arg('removeAssignments', () => Boolean, { nullable: true, defaultValue: false }) removeAssignments: boolean,
  ): Promise<boolean> {
    const { principal, ability } = requireAuth(ctx);
    return deleteRole(ctx, principal, ability, id, removeAssignments);
  }

  @Query(() => [PermissionChange], { nullable: false, description: 'Dry run: who would gain or lose which permissions where if the role’s entries were replaced. Saves nothing.' })
  previewRoleChange(@Ctx() ctx: AppContext, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<PermissionChange[]> {
    const { principal, ability } = requireAuth(ctx);
    return previewRoleChange(ctx, principal, ability, id, input);
  }

  @FieldResolver(() => [RolePermission])
  permissions(@Root() role: Role, @Ctx() ctx: AppContext): Promise<RolePermission[]> {
    return ctx.loaders.rolePermissions.load(role.id);
  }

  @FieldResolver(() => [RoleAssignment], { description: 'Every assignment of this role the caller may see: who holds it, and where.' })
  assignments(@Root() role: Role, @Ctx() ctx: AppContext): Promise<RoleAssignment[]> {
    return ctx.loaders.roleAssignmentsOfRole.load(role.id);
  }
}
