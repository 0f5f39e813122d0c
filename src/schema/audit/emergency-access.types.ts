/**
 * Pages of emergency accesses, for the reviewers' queue, and a reviewer's acknowledgement of one.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
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

@ObjectType({ description: 'Who acknowledged an emergency access, when, and their note.' })
export class EmergencyAccessAcknowledgement {
  @Field(() => ID) byId: string;
  @Field(() => Date) at: Date;
  @Field(() => String) note: string;
  /** Row scope for the permission model (readable with the emergency access's `acknowledgement` field). */
  chainId: string;
  storeId: string;
}
