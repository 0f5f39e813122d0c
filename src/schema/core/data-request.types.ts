/**
 * The request register as the API shows it: pages of requests (overdue first, then due within seven days, then
 * the rest, each by due date).
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';
import { DataRequest } from './data-request.entity';

@ObjectType({ description: 'A data-subject request in a page of requests.' })
export class DataRequestEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => DataRequest, { nullable: false }) node: DataRequest;
}

@ObjectType({ description: 'A page of the data-subject requests the caller may see: overdue first, then due within 7 days, then the rest, each by due date.' })
export class DataRequestConnection {
  @Field(() => [DataRequestEdge], { nullable: false }) edges: DataRequestEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false, description: 'How many requests match, counting only those the caller may see.' }) totalCount: number;
}
