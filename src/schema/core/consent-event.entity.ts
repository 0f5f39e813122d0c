/**
 * ConsentEvent: one grant or withdrawal, append-only (the database rejects UPDATE and DELETE).
 * Read through Consent.history, under the Consent permission.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentActor, ConsentChannel, ConsentSource } from '../enums';
import { Customer } from './customer.entity';

@ObjectType({ description: 'One grant or withdrawal of consent, as it happened.' })
@Entity()
@Index(['customerId', 'channel', 'changedAt'])
export class ConsentEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Field(() => ConsentChannel)
  @Column({ type: 'enum', enum: ConsentChannel, enumName: 'consent_channel' })
  channel: ConsentChannel;

  @Field()
  @Column()
  granted: boolean;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  changedAt: Date;

  @Field(() => ConsentActor)
  @Column({ type: 'enum', enum: ConsentActor, enumName: 'consent_actor' })
  actor: ConsentActor;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @Field(() => ConsentSource)
  @Column({ type: 'enum', enum: ConsentSource, enumName: 'consent_source' })
  source: ConsentSource;

  @Field()
  @Column()
  wordingVersion: string;

  /** Row-scope attribute (the customer's home store), set by the loader; not a column. */
  storeId: string;
}
