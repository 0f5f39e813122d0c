/**
 * Role: a named set of permission entries defined by a chain manager for their chain.
 * Roles are data, not code; the entries are checked against the permission catalog.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Chain } from './chain.entity';
import { RolePermission } from './role-permission.entity';

@ObjectType({ description: 'A role of the chain: a named set of permission entries.' })
@Entity()
@Unique(['chainId', 'name'])
export class Role {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Field()
  @Column()
  name: string;

  @Field()
  @Column({ type: 'text', default: '' })
  description: string;

  @OneToMany(() => RolePermission, (entry) => entry.role)
  permissions?: RolePermission[];

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
