/**
 * Security events as the review API shows them: the acknowledgement of an event and pages of events.
 * (The event itself is the SecurityEvent entity; `user`, `acknowledged` and `acknowledgement` are
 * resolved by src/resolvers/security-event.resolver.ts.)
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';
import { SecurityEvent } from '../core/security-event.entity';

@ObjectType({ description: 'Who acknowledged a security event, when, and their note.' })
export class SecurityEventAcknowledgement {
  @Field(() => ID) byId: string;
  @Field(() => Date) at: Date;
  @Field(() => String) note: string;
  /** Row scope for the permission model (readable with the event's `acknowledgement` field). */
  chainId: string;
}

@ObjectType({ description: 'A security event in a page of events.' })
export class SecurityEventEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => SecurityEvent, { nullable: false }) node: SecurityEvent;
}

@ObjectType({ description: 'A page of security events, newest first.' })
export class SecurityEventConnection {
  @Field(() => [SecurityEventEdge], { nullable: false }) edges: SecurityEventEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false }) totalCount: number;
}
