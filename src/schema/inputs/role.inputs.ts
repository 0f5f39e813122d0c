/**
 * Inputs for defining roles and assigning them. Entries are checked against the permission catalog
 * (BAD_USER_INPUT naming the entry, e.g. "input.permissions[2].subject").
 */
import { Field, ID, InputType } from 'type-graphql';
import { ScopeType } from '../enums';

@InputType({ description: 'One entry of a role. No fields: every field of the subject.' })
export class PermissionEntryInput {
  @Field({ nullable: false }) action: string;
  @Field({ nullable: false }) subject: string;
  @Field(() => [String], { nullable: true }) fields?: string[] | null;
}

@InputType({ description: 'A new role.' })
export class CreateRoleInput {
  @Field({ nullable: false }) name: string;
  @Field(() => String) description?: string | null;
  @Field(() => [PermissionEntryInput], { nullable: false }) permissions: PermissionEntryInput[];
}

@InputType({ description: 'Changes to a role; fields left out stay as they are. `permissions` replaces all entries.' })
export class UpdateRoleInput {
  @Field(() => String) name?: string | null;
  @Field(() => String) description?: string | null;
  @Field(() => [PermissionEntryInput], { nullable: true }) permissions?: PermissionEntryInput[] | null;
}

@InputType({ description: 'Gives a user a role at the chain, one region or one store, optionally for a limited time.' })
export class AssignRoleInput {
  @Field(() => ID, { nullable: false }) userId: string;
  @Field(() => ID, { nullable: false }) roleId: string;
  @Field(() => ScopeType, { nullable: false }) scopeType: ScopeType;
  @Field(() => ID, { description: 'Required for REGION scope.' }) regionId?: string | null;
  @Field(() => ID, { description: 'Required for STORE scope.' }) storeId?: string | null;
  @Field(() => Date) validFrom?: Date | null;
  @Field(() => Date) validUntil?: Date | null;
}
