/**
 * Input of upsertProcessingActivity: a whole entry of the records of processing (Art. 30(1)). Without `id` it is a
 * new entry; with `id` it replaces that entry's content (an optional field left out is cleared). Checked by
 * src/services/registers/processing-activity-service.ts (BAD_USER_INPUT naming the field).
 */
import { Field, ID, InputType } from 'type-graphql';
import { ProcessingBasis, SpecialCategoryCondition } from '../enums';

@InputType({ description: 'An entry of the records of processing (Art. 30(1) GDPR); with `id`, the new content of that entry.' })
export class UpsertProcessingActivityInput {
  @Field(() => ID, { description: 'The entry to change; left out: a new entry.' }) id?: string | null;
  @Field(() => String, { nullable: false, description: 'Unique in the chain: 1-200 characters.' }) name: string;
  @Field(() => String, { nullable: false, description: '1-5000 characters.' }) purpose: string;
  @Field(() => [ProcessingBasis], { nullable: false, description: 'The Art. 6(1) bases: 1-6, distinct.' }) lawfulBases: ProcessingBasis[];
  @Field(() => String, { description: 'How the bases apply: 1-5000 characters.' }) lawfulBasisNotes?: string | null;
  @Field(() => SpecialCategoryCondition, { description: 'The Art. 9(2) condition, when special category (health) data is processed.' }) specialCategoryCondition?: SpecialCategoryCondition | null;
  @Field(() => [String], { nullable: false, description: 'Categories of personal data: 1-50, each 1-200 characters.' }) dataCategories: string[];
  @Field(() => [String], { nullable: false, description: 'Categories of data subjects: 1-20, each 1-200 characters.' }) dataSubjects: string[];
  @Field(() => [String], { nullable: false, description: 'Categories of recipients: 0-50, each 1-200 characters.' }) recipients: string[];
  @Field(() => String, { description: 'Transfers outside the UK/EEA and their safeguards: 1-5000 characters; left out: none.' }) internationalTransfers?: string | null;
  @Field(() => String, { nullable: false, description: '1-5000 characters.' }) retention: string;
  @Field(() => String, { nullable: false, description: '1-5000 characters.' }) securityMeasures: string;
  @Field(() => String, { nullable: false, description: '1-2000 characters.' }) controllerContact: string;
  @Field(() => String, { nullable: false, description: '1-2000 characters.' }) dpoContact: string;
}
