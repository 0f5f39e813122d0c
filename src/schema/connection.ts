/**
 * Relay-style connection types for paginated lists.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Customer } from './core/customer.entity';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field({ nullable: false }) hasNextPage: boolean;
  @Field({ nullable: false }) hasPreviousPage: boolean;
  @Field(() => String) startCursor: string | null;
  @Field(() => String) endCursor: string | null;
}

@ObjectType({ description: 'A customer in a page of customers.' })
export class CustomerEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => Customer, { nullable: false }) node: Customer;
}

@ObjectType({ description: 'A page of the customers the caller may see.' })
export class CustomerConnection {
  @Field(() => [CustomerEdge], { nullable: false }) edges: CustomerEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false, description: 'How many customers match, counting only those the caller may see.' })
  totalCount: number;
}
