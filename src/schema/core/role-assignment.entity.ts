/**
 * RoleAssignment: (user, role, scope), optionally limited in time (validFrom / validUntil: a locum
 * covering a store for two weeks). Scope is the whole chain, one region or one store; a chain or
 * region scope covers every store in it, today's and future ones.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ScopeType } from '../enums';
import { Region } from './region.entity';
import { Role } from './role.entity';
import { Store } from './store.entity';
import { User } from './user.entity';

@ObjectType({ description: 'A role held by a user at the whole chain, one region or one store, possibly for a limited time.' })
@Entity()
export class RoleAssignment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roleId: string;

  @ManyToOne(() => Role, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'role_id' })
  role?: Role;

  @Field(() => ScopeType)
  @Column({ type: 'enum', enum: ScopeType, enumName: 'scope_type' })
  scopeType: ScopeType;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id' })
  region?: Region;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  storeId: string | null;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Store;

  /** The assignment grants nothing before this instant (null: from creation). */
  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  validFrom: Date | null;

  /** The assignment grants nothing from this instant on (null: until revoked). */
  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** In force now: started and not yet ended. */
  @Field()
  get active(): boolean {
    const now = Date.now();
    return (!this.validFrom || this.validFrom.getTime() <= now) && (!this.validUntil || this.validUntil.getTime() > now);
  }
}
