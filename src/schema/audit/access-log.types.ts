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
  @Field(() => String, { nullable: true, description: 'The client’s User-Agent header.' }) userAgent: string | null;
  @Field(() => String, { nullable: true, description: 'The purpose of access the client declared (X-Access-Purpose header).' }) purpose: string | null;
  @Field(() => [ID], { description: 'The role assignments that granted the read (empty when denied or granted only by emergency access).' }) assignmentIds: string[];
  @Field(() => ID, { nullable: true, description: 'The break-the-glass emergency access that granted the read, when nothing else did.' }) emergencyAccessId: string | null;
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
