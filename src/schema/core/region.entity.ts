/**
 * Region: a group of stores inside a chain; a region-scoped role covers all of its stores.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Chain } from './chain.entity';

@ObjectType({ description: 'A region of a chain.' })
@Entity()
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
}
