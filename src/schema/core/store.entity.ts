/**
 * Store: a shop or practice. Store-scoped role assignments, customers' home stores, appointments
 * and clinical records all point at one.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Chain } from './chain.entity';
import { Region } from './region.entity';

@ObjectType({ description: 'A store (shop and practice) of the chain.' })
@Entity()
export class Store {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @ManyToOne(() => Chain, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chain_id' })
  chain?: Chain;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  regionId: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id' })
  region?: Region;

  @Field()
  @Column()
  name: string;

  @Field()
  @Column()
  city: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  phone: string | null;

  /** Row-scope attribute for the permission model: a store is in its own scope. */
  get storeId(): string {
    return this.id;
  }
}
