/**
 * Store: a shop or practice. Store-scoped role assignments, customers' home stores, appointments
 * and clinical records all point at one. Made and changed by createStore / updateStore
 * (src/services/organisation/); names are unique per chain (case-insensitive: the service checks, the
 * unique index on (chain_id, name) backs it); a closed store (`open` false) keeps all its data.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Chain } from './chain.entity';
import { Region } from './region.entity';

@ObjectType({ description: 'A store (shop and practice) of the chain.' })
@Entity()
@Index(['chainId', 'name'], { unique: true })
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

  @Field(() => String, { nullable: true, description: 'Postal address (street, town, postcode), as entered; null for stores made before addresses were kept.' })
  @Column({ type: 'varchar', nullable: true })
  address: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', nullable: true })
  phone: string | null;

  @Field(() => Boolean, { description: 'Open (true) or closed (false). A closed store keeps its data and stays listed; no new appointments are booked there.' })
  @Column({ type: 'boolean', default: true })
  open: boolean;

  /** Row-scope attribute for the permission model: a store is in its own scope. */
  get storeId(): string {
    return this.id;
  }
}
