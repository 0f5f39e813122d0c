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
import { CreateRoleInput, UpdateRoleInput } from '../schema/inputs/role.inputs';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Role)
export class RoleResolver {
  @Query(() => [CatalogSubject], { nullable: false, description: 'Every subject a role entry can name, its actions and its fields in groups.' })
  permissionCatalog(@Authenticated() _signedIn: AuthenticatedContext): CatalogSubject[] {
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
  roles(@Authenticated() ctx: AuthenticatedContext): Promise<Role[]> {
    return listRoles(ctx);
  }

  @Query(() => Role, { description: 'One role; NOT_FOUND for another chain’s.' })
  role(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<Role> {
    return getRole(ctx, id);
  }

  @Mutation(() => Role, { description: 'Creates a role; entries are checked against the catalog.' })
  createRole(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateRoleInput) input: CreateRoleInput): Promise<Role> {
    return createRole(ctx, input);
  }

  @Mutation(() => Role, { description: 'Renames, describes or changes the entries of a role; applies to its holders’ next request.' })
  updateRole(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<Role> {
    return updateRole(ctx, id, input);
  }

  @Mutation(() => Boolean, { nullable: false, description: 'Deletes a role. Refused while it is assigned, unless removeAssignments is true.' })
  deleteRole(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('removeAssignments', () => Boolean, { nullable: true, defaultValue: false }) removeAssignments: boolean,
  ): Promise<boolean> {
    return deleteRole(ctx, id, removeAssignments);
  }

  @Query(() => [PermissionChange], { nullable: false, description: 'Dry run: who would gain or lose which permissions where if the role’s entries were replaced. Saves nothing.' })
  previewRoleChange(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<PermissionChange[]> {
    return previewRoleChange(ctx, id, input);
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
