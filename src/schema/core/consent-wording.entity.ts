/**
 * ConsentWording: the exact text a customer is shown when asked for marketing consent on one channel, under a
 * version name. Append-only (the database rejects UPDATE and DELETE): a version once published never changes,
 * so the proof of a consent event (ConsentEvent.proof) shows the words the customer agreed to. A consent change
 * recorded through the API must name a published version of its channel (src/services/consent-service.ts).
 * Chain-wide reference data, read and published under the ConsentSettings subject (field `wordings`).
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ConsentChannel } from '../enums';

@ObjectType({ description: 'A published consent wording: the exact text of one version for one channel. Never changes once published.' })
@Entity()
@Unique(['chainId', 'channel', 'version'])
export class ConsentWording {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  chainId: string;

  @Field(() => ConsentChannel)
  @Column({ type: 'enum', enum: ConsentChannel, enumName: 'consent_channel' })
  channel: ConsentChannel;

  @Field({ description: 'The version name consent events refer to (wordingVersion).' })
  @Column({ type: 'varchar', length: 50 })
  version: string;

  @Field({ description: 'The exact text shown to the customer.' })
  @Column('text')
  text: string;

  @Field(() => Date)
  @Column({ type: 'timestamptz', default: () => 'now()' })
  publishedAt: Date;

  @Field(() => ID, { nullable: true, description: 'Who published it (null for wordings loaded without a user, e.g. by a bulk seed).' })
  @Column({ type: 'uuid', nullable: true })
  publishedById: string | null;
}
