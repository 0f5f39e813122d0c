/**
 * Role: a named set of permission entries defined by a chain manager for their chain.
 * Roles are data, not code; the entries are checked against the permission catalog.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Chain } from './chain.entity';
import { RolePermission } from './role-permission.entity';

@Entity()
@Unique(['chainId', 'name'])
export class Role {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Column()
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @OneToMany(() => RolePermission, (entry) => entry.role)
  permissions?: RolePermission[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
