/**
 * GraphQL types of consent proof that are not tables: a chain's channel setting, a channel's state as of a
 * moment (Customer.consentsAsOf, from consent_event), and the proof of one consent event (ConsentEvent.proof:
 * the event joined with the wording it names). Each carries its row scope (chain, and the customer's home
 * store where there is a customer) for the field guard.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { ConsentActor, ConsentChannel, ConsentSource, LawfulBasis } from '../enums';

@ObjectType({ description: 'Whether the chain uses a consent channel. A disabled channel refuses consent writes and never appears in a marketing list; its history is kept.' })
export class ConsentChannelSetting {
  @Field(() => ConsentChannel) channel: ConsentChannel;
  @Field() enabled: boolean;
  /** Row scope: the chain (chain-wide reference data). */
  chainId: string;
}

@ObjectType({ description: 'One channel’s consent as it stood at a moment, from the event history.' })
export class ConsentState {
  @Field(() => ConsentChannel) channel: ConsentChannel;
  @Field({ description: 'Granted at that moment (false when withdrawn or never recorded).' }) granted: boolean;
  @Field(() => LawfulBasis, { nullable: true, description: 'Basis of the event in force then (null when none was recorded).' }) basis: LawfulBasis | null;
  @Field(() => Date, { nullable: true, description: 'When the event in force then happened (null when none).' }) since: Date | null;
  @Field(() => String, { nullable: true }) wordingVersion: string | null;
  @Field(() => ID, { nullable: true, description: 'The consent event in force then.' }) eventId: string | null;
  /** Row scope: the customer's chain and home store. */
  chainId: string;
  storeId: string;
  customerId: string;
}

@ObjectType({ description: 'The proof of one consent event: the exact wording, when, by whom, through which source, on which basis.' })
export class ConsentProof {
  @Field() wordingVersion: string;
  @Field(() => String, { nullable: true, description: 'The exact text of that version (null only for a withdrawal through a link when nothing had been consented to: version `none`).' })
  wordingText: string | null;
  @Field(() => Date, { nullable: true }) wordingPublishedAt: Date | null;
  @Field(() => Date) recordedAt: Date;
  @Field(() => ConsentActor, { description: 'STAFF (recordedById says who) or CUSTOMER (self-service).' }) actor: ConsentActor;
  @Field(() => ID, { nullable: true }) recordedById: string | null;
  @Field(() => ConsentSource) source: ConsentSource;
  @Field(() => LawfulBasis) basis: LawfulBasis;
  @Field(() => String, { nullable: true }) saleReference: string | null;
  @Field(() => Boolean, { nullable: true }) optOutOffered: boolean | null;
  /** Row scope: the customer's chain and home store. */
  chainId: string;
  storeId: string;
  customerId: string;
}
