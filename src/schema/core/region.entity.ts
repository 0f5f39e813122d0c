/**
 * Region: a group of stores inside a chain; a region-scoped role covers all of its stores.
 * Listed by the `regions` query (src/services/region-service.ts); made by createRegion (src/services/organisation/).
 * Names are unique per chain (case-insensitive: the service checks; the unique index on (chain_id, name) backs it).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Chain } from './chain.entity';

@ObjectType({ description: 'A region of a chain.' })
@Entity()
@Index(['chainId', 'name'], { unique: true })
export class Region {
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

  /**
   * Row-scope attribute for the permission model, not a column: the ids of the region's stores (a rule
   * confined to some stores applies to the region where it covers one of them). Set when loaded for the API.
   */
  storeId?: string[];
}
