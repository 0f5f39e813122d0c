/**
 * RolePermission: one entry { action, subject, fields? } of a role. No field list means every field.
 */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Role } from './role.entity';

@Entity()
export class RolePermission {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  roleId: string;

  @ManyToOne(() => Role, (role) => role.permissions, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role?: Relation<Role>; // Relation<>: no eager metadata reference, so the Role <-> RolePermission import cycle is safe

  @Column()
  action: string;

  @Column()
  subject: string;

  @Column({ type: 'text', array: true, nullable: true })
  fields: string[] | null;
}
