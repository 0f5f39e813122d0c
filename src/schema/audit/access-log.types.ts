/**
 * The clinical access log as the review API shows it: entries (identifiers only) and pages of them.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';
import { AccessOutcome } from '../enums';

@ObjectType('AccessLogEntry', { description: 'One access to health records: who, whose, which records and fields, when, where, outcome.' })
export class AccessLogEntryView {
  @Field(() => ID) id: string;
  @Field(() => Date) occurredAt: Date;
  @Field(() => ID) userId: string;
  @Field(() => ID) customerId: string;
  @Field(() => ID, { nullable: true }) storeId: string | null;
  @Field() subject: string;
  @Field(() => [ID]) recordIds: string[];
  @Field(() => [String]) fields: string[];
  @Field(() => AccessOutcome) outcome: AccessOutcome;
  @Field() requestId: string;
  @Field(() => String, { nullable: true }) clientAddress: string | null;
  @Field(() => String, { nullable: true }) operationName: string | null;
  /** Row scope for the permission model. */
  chainId: string;
}

@ObjectType({ description: 'An access log entry in a page of entries.' })
export class AccessLogEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => AccessLogEntryView, { nullable: false }) node: AccessLogEntryView;
}

@ObjectType({ description: 'A page of access log entries, newest first.' })
export class AccessLogConnection {
  @Field(() => [AccessLogEdge], { nullable: false }) edges: AccessLogEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false }) totalCount: number;
}
