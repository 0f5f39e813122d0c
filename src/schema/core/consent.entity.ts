/**
 * Consent: the current state of one customer's consent for one channel. It is derived from the
 * append-only ConsentEvent history and written in the same transaction as each event.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ConsentActor, ConsentChannel, ConsentSource } from '../enums';
import { Customer } from './customer.entity';

@ObjectType({ description: "A customer's current consent for one marketing channel." })
@Entity()
@Unique(['customerId', 'channel'])
export class Consent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  chainId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
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

  @Field({ description: 'Version of the consent wording the customer agreed to or withdrew from.' })
  @Column()
  wordingVersion: string;

  /** Row-scope attribute (the customer's home store), set by the loader; not a column. */
  storeId: string;
}
