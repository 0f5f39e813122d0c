/**
 * The matrix views: effective permissions of a user at a store with the assignments that grant
 * them, explanations of one decision, and the preview of a role change.
 */
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { RoleAssignment } from '../core/role-assignment.entity';
import { RolePermission } from '../core/role-permission.entity';
import { Store } from '../core/store.entity';
import { User } from '../core/user.entity';

@ObjectType({ description: 'One permitted (action, subject, field) and the assignments that grant it.' })
export class EffectivePermission {
  @Field({ nullable: false }) subject: string;
  @Field({ nullable: false }) action: string;
  @Field(() => String, { nullable: true, description: 'Null for subjects without fields.' }) field: string | null;
  @Field(() => [RoleAssignment], { nullable: false }) grantedBy: RoleAssignment[];
}

@ObjectType({ description: 'Why one decision is granted or denied.' })
export class Explanation {
  @Field({ nullable: false }) granted: boolean;
  @Field({ nullable: false, description: 'The decision in words.' }) reason: string;
  @Field(() => RoleAssignment, { nullable: true, description: 'The assignment whose rule decided.' }) assignment: RoleAssignment | null;
  @Field(() => RolePermission, { nullable: true, description: 'The role entry that decided.' }) entry: RolePermission | null;
}

export enum PermissionChangeKind { GAINED = 'GAINED', LOST = 'LOST' }
registerEnumType(PermissionChangeKind, { name: 'PermissionChangeKind', description: 'Whether a role change gives or takes a permission.' });

@ObjectType({ description: 'A permission a user would gain or lose at a store if a role change were saved.' })
export class PermissionChange {
  @Field(() => User, { nullable: true }) user: User | null;
  @Field(() => Store, { nullable: true }) store: Store | null;
  @Field({ nullable: false }) subject: string;
  @Field({ nullable: false }) action: string;
  @Field(() => String, { nullable: true }) field: string | null;
  @Field(() => PermissionChangeKind, { nullable: false }) change: PermissionChangeKind;
}
