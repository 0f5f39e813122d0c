/**
 * What a consent change records, shared by the current Consent of a channel and each ConsentEvent of
 * its history: channel, granted or withdrawn, when, by whom, through which source, which wording, on which
 * lawful basis (with a soft opt-in's sale and offered opt-out).
 * Not an entity or a GraphQL type of its own.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { ConsentActor, ConsentChannel, ConsentSource, LawfulBasis } from '../enums';

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

  @Field(() => LawfulBasis, { description: 'Lawful basis of the grant (a withdrawal records the basis of what it withdrew).' })
  @Column({ type: 'enum', enum: LawfulBasis, enumName: 'lawful_basis', default: LawfulBasis.CONSENT })
  basis: LawfulBasis;

  @Field(() => String, { nullable: true, description: 'A soft opt-in: the sale (or negotiation of one) it came from.' })
  @Column({ type: 'varchar', nullable: true })
  saleReference: string | null;

  @Field(() => Boolean, { nullable: true, description: 'A soft opt-in: whether the customer was offered a simple way to refuse at the time.' })
  @Column({ type: 'boolean', nullable: true })
  optOutOffered: boolean | null;

  /** Row-scope attribute (the customer's home store), set by the loader; not a column. */
  storeId: string;
}
