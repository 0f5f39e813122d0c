/**
 * RolePermission: one entry { action, subject, fields? } of a role. No field list means every field.
 */
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { Role } from './role.entity';

@ObjectType('PermissionEntry', { description: 'One entry of a role: an action on a subject, for the listed fields (none listed: every field).' })
@Entity()
export class RolePermission {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  roleId: string;

  /** Row-scope attribute (the role's chain), set when loaded with its role; not a column. */
  chainId: string;

  @ManyToOne('Role', (role: Role) => role.permissions, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role?: Relation<Role>; // by entity name and `import type`: no import cycle with role.entity.ts

  @Field()
  @Column()
  action: string;

  @Field()
  @Column()
  subject: string;

  @Field(() => [String], { nullable: true, description: 'The fields granted; null means every field.' })
  @Column({ type: 'text', array: true, nullable: true })
  fields: string[] | null;
}
