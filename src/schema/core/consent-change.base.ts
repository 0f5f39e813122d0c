/**
 * What a consent change records, shared by the current Consent of a channel and each ConsentEvent of
 * its history: channel, granted or withdrawn, when, by whom, through which source, which wording.
 * Not an entity or a GraphQL type of its own.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { ConsentActor, ConsentChannel, ConsentSource } from '../enums';

@ObjectType()
export abstract class ConsentChangeBase {
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
