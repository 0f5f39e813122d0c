/**
 * The UnsubscribeLink GraphQL type: an issued link as its issuer sees it, once (the token is not stored, so
 * the URL cannot be shown again). Governed by `Consent.unsubscribeLink` at the customer's home store.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { ConsentChannel } from '../enums';

@ObjectType('UnsubscribeLink', { description: 'A single-use link by which the customer withdraws their consent for one channel themself (GET shows a confirmation page; POST with List-Unsubscribe=One-Click, RFC 8058, withdraws).' })
export class UnsubscribeLinkView {
  @Field({ description: 'The link, for the message and its List-Unsubscribe header. Shown only now: only its hash is stored.' }) url: string;
  @Field(() => ID) customerId: string;
  @Field(() => ConsentChannel) channel: ConsentChannel;
  @Field(() => Date, { description: 'After this the link no longer works.' }) expiresAt: Date;
  /** Row scope for the permission model: the customer's chain and home store. */
  chainId: string;
  storeId: string;
}
