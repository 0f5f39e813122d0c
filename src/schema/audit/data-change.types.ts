/**
 * The data change logs as the review API shows them: entries (with the changed fields' values, personal
 * or clinical) from both logs, merged newest first, and pages of them.
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../connection';
import { ChangeAction, ChangeLogKind } from '../enums';

@ObjectType('FieldChange', { description: 'One changed field: its value before and after (null before on create, null after on removal).' })
export class FieldChangeView {
  @Field() field: string;
  @Field(() => GraphQLJSON) before: unknown;
  @Field(() => GraphQLJSON) after: unknown;
  @Field({ description: 'True when the values were removed by an erasure or a disposal (docs/erasure.md): before and after are then null.' })
  redacted: boolean;
  /** Row scope for the permission model (the entry's). */
  chainId: string;
  storeId: string | null;
}

@ObjectType('DataChangeEntry', { description: 'One change to personal or clinical data: who, from where, what, which record, and the changed fields before and after.' })
export class DataChangeEntryView {
  @Field(() => ID, { description: 'Unique across both logs: "personal:<n>" or "clinical:<n>" (n is the entry id in its log).' }) id: string;
  @Field(() => ChangeLogKind) log: ChangeLogKind;
  @Field(() => Date) occurredAt: Date;
  @Field(() => ID, { nullable: true, description: 'The member of staff who made the change; null for the customer’s own change through a customer channel (the unsubscribe link: operationName "POST /consent/unsubscribe").' })
  userId: string | null;
  @Field() requestId: string;
  @Field(() => String, { nullable: true }) clientAddress: string | null;
  @Field(() => String, { nullable: true }) userAgent: string | null;
  @Field(() => String, { nullable: true }) operationName: string | null;
  @Field(() => ChangeAction) action: ChangeAction;
  @Field({ description: 'The catalog subject of the record (an examination’s findings: Examination).' }) subject: string;
  @Field({ description: 'The kind of record: Customer, Consent, Appointment, Examination, Refraction, VisualAcuity, IntraocularPressure, SpectaclePrescription, ContactLensSpecification, ClinicalNote.' })
  recordType: string;
  @Field(() => ID) recordId: string;
  @Field(() => ID) customerId: string;
  @Field(() => ID, { nullable: true }) storeId: string | null;
  /** The changed fields, served by the `changes` field resolver (which logs clinical values read). */
  fieldChanges: FieldChangeView[];
  /** Row scope for the permission model. */
  chainId: string;
}

@ObjectType({ description: 'A data change log entry in a page of entries.' })
export class DataChangeEdge {
  @Field({ nullable: false }) cursor: string;
  @Field(() => DataChangeEntryView, { nullable: false }) node: DataChangeEntryView;
}

@ObjectType({ description: 'A page of data change log entries, newest first.' })
export class DataChangeConnection {
  @Field(() => [DataChangeEdge], { nullable: false }) edges: DataChangeEdge[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
  @Field(() => Int, { nullable: false }) totalCount: number;
}
