/**
 * RoleAssignment: (user, role, scope). Scope is the whole chain, one region or one store; a
 * chain or region scope covers every store in it, today's and future ones.
 */
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ScopeType } from '../enums';
import { Region } from './region.entity';
import { Role } from './role.entity';
import { Store } from './store.entity';
import { User } from './user.entity';

@Entity()
export class RoleAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @Index()
  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index()
  @Column('uuid')
  roleId: string;

  @ManyToOne(() => Role, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'role_id' })
  role?: Role;

  @Column({ type: 'enum', enum: ScopeType, enumName: 'scope_type' })
  scopeType: ScopeType;

  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id' })
  region?: Region;

  @Column({ type: 'uuid', nullable: true })
  storeId: string | null;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Store;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
