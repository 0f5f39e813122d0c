/**
 * Chain: the tenant. Every business row carries its chainId; no query crosses chains.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentChannel } from '../enums';

@ObjectType({ description: 'A chain of stores (the tenant).' })
@Entity()
export class Chain {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column()
  name: string;

  @Field(() => [ConsentChannel], { description: 'Consent channels this chain uses; the others are disabled.' })
  @Column({ type: 'enum', enum: ConsentChannel, enumName: 'consent_channel', array: true })
  enabledConsentChannels: ConsentChannel[];

  /** Bumped in the same transaction as any change to the chain's roles, assignments or stores: cached abilities older than it are rebuilt. */
  @Column({ type: 'bigint', default: 0 })
  authzVersion: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
