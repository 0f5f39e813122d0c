/**
 * Pages of emergency accesses, for the reviewers' queue.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';
import { EmergencyAccess } from '../core/emergency-access.entity';

@ObjectType({ description: 'An emergency access in a page of them.' })
export class EmergencyAccessEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => EmergencyAccess, { nullable: false }) node: EmergencyAccess;
}

@ObjectType({ description: 'A page of emergency accesses, newest first.' })
export class EmergencyAccessConnection {
  @Field(() => [EmergencyAccessEdge], { nullable: false }) edges: EmergencyAccessEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false }) totalCount: number;
}
