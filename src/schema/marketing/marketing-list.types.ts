/**
 * The marketing list's GraphQL types: a Relay connection of customers (each node a `Customer`, so the field
 * guard shows only the fields the caller may read at that customer's store) with the list's manifest: what
 * was considered, what each rule excluded, and a hash of the whole list's content (docs/marketing-lists.md).
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';
import { Customer } from '../core/customer.entity';
import { ConsentChannel, MarketingListRule } from '../enums';

@ObjectType({ description: 'How many considered customers one rule excluded (each customer counts under the first rule they fail).' })
export class MarketingListExclusion {
  @Field(() => MarketingListRule, { nullable: false }) rule: MarketingListRule;
  @Field(() => Int, { nullable: false }) count: number;
}

@ObjectType({ description: 'What a marketing list is made of, taken in the same snapshot as its rows: considered = included + the sum of excluded.' })
export class MarketingListManifest {
  @Field(() => ConsentChannel, { nullable: false }) channel: ConsentChannel;
  @Field(() => Date, { nullable: false, description: 'The moment of the snapshot the list and these counts were read from.' })
  takenAt: Date;
  @Field(() => [String], { nullable: false, description: 'The rules applied, in order, as `RULE: what it requires`.' })
  rules: string[];
  @Field(() => Int, { nullable: false, description: 'Customers of the chain whose home store is in the caller’s list scope (narrowed by storeIds).' })
  considered: number;
  @Field(() => Int, { nullable: false }) included: number;
  @Field(() => [MarketingListExclusion], { nullable: false, description: 'Every rule, in order, with the customers it excluded (0 when none).' })
  excluded: MarketingListExclusion[];
  @Field({ nullable: false, description: 'Lowercase hex SHA-256 of `<customer id>\\n` per included customer in id order (the empty string for an empty list).' })
  contentHash: string;
}

@ObjectType({ description: 'A customer on a marketing list.' })
export class MarketingListEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => Customer, { nullable: false }) node: Customer;
}

@ObjectType({ description: 'A page of a consent-filtered marketing list, with the whole list’s manifest.' })
export class MarketingListConnection {
  @Field(() => [MarketingListEdge], { nullable: false }) edges: MarketingListEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false, description: 'Customers on the list (the manifest’s `included`).' })
  totalCount: number;
  @Field(() => MarketingListManifest, { nullable: false }) manifest: MarketingListManifest;
}
