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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
