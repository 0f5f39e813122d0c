/**
 * Inputs of the breach register: recording a breach, changing it (fields left out stay as they are, null clears an
 * optional one), and the access-log range that counts the affected customers. The rules (src/services/registers/
 * breach-rules.ts) are checked by the service, each refusal naming the field.
 */
import { Field, ID, InputType, Int } from 'type-graphql';
import { BreachRisk } from '../enums';

@InputType({ description: 'Count the affected customers from the clinical access log: the distinct customers whose clinical records this member of staff read in [from, to].' })
export class AccessLogRangeInput {
  @Field(() => ID, { nullable: false }) userId: string;
  @Field(() => Date, { nullable: false }) from: Date;
  @Field(() => Date, { nullable: false }) to: Date;
}

@InputType({ description: 'A newly discovered personal data breach.' })
export class RecordBreachInput {
  @Field(() => Date, { nullable: false, description: 'When the chain became aware of it (not in the future): the 72-hour deadline runs from here.' }) discoveredAt: Date;
  @Field(() => Date, { description: 'When it happened, if known (not after discoveredAt).' }) occurredAt?: Date | null;
  @Field(() => String, { nullable: false, description: '1-5000 characters.' }) description: string;
  @Field(() => [String], { nullable: false, description: 'The categories of personal data concerned: 1-30, each 1-200 characters.' }) dataCategories: string[];
  @Field(() => Int, { description: 'How many customers are affected (0-10,000,000); or give affectedFromAccessLog instead.' }) affectedCustomers?: number | null;
  @Field(() => AccessLogRangeInput, { description: 'Count the affected customers from the clinical access log (instead of affectedCustomers).' }) affectedFromAccessLog?: AccessLogRangeInput | null;
  @Field(() => BreachRisk, { nullable: false }) risk: BreachRisk;
  @Field(() => String, { nullable: false, description: 'Why that risk: 1-5000 characters.' }) riskAssessment: string;
  @Field(() => String, { description: 'Measures taken or proposed: 1-5000 characters.' }) measures?: string | null;
  @Field(() => Date, { description: 'When the authority was notified (not before discovery, not in the future).' }) notifiedAuthorityAt?: Date | null;
  @Field(() => String, { description: 'The authority’s reference: 1-200 characters.' }) authorityReference?: string | null;
  @Field(() => String, { description: 'Why not notifiable (only for risk UNLIKELY): 1-2000 characters.' }) notNotifiableReason?: string | null;
  @Field(() => String, { description: 'Why late (required when notified more than 72 hours after discovery): 1-2000 characters.' }) delayReason?: string | null;
  @Field(() => Date, { description: 'When the customers were told.' }) customersNotifiedAt?: Date | null;
  @Field(() => String, { description: 'Why the customers of a HIGH_RISK breach are not told individually (Art. 34(3)): 1-2000 characters.' }) customersNotNotifiedReason?: string | null;
}

@InputType({ description: 'Changes to a breach register entry; fields left out stay as they are, null clears an optional field.' })
export class UpdateBreachInput {
  @Field(() => Date) discoveredAt?: Date | null;
  @Field(() => Date) occurredAt?: Date | null;
  @Field(() => String) description?: string | null;
  @Field(() => [String], { nullable: true }) dataCategories?: string[] | null;
  @Field(() => Int) affectedCustomers?: number | null;
  @Field(() => AccessLogRangeInput) affectedFromAccessLog?: AccessLogRangeInput | null;
  @Field(() => BreachRisk) risk?: BreachRisk | null;
  @Field(() => String) riskAssessment?: string | null;
  @Field(() => String) measures?: string | null;
  @Field(() => Date) notifiedAuthorityAt?: Date | null;
  @Field(() => String) authorityReference?: string | null;
  @Field(() => String) notNotifiableReason?: string | null;
  @Field(() => String) delayReason?: string | null;
  @Field(() => Date) customersNotifiedAt?: Date | null;
  @Field(() => String) customersNotNotifiedReason?: string | null;
}
