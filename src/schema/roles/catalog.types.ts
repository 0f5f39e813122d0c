/**
 * The permission catalog as GraphQL types: subjects, their actions, their fields in groups.
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A field of a subject, as offered to role editors.' })
export class CatalogField {
  @Field({ nullable: false }) name: string;
  @Field({ nullable: false }) description: string;
}

@ObjectType({ description: 'Fields of a subject grouped for people (identity, contact, clinical findings, …).' })
export class CatalogFieldGroup {
  @Field({ nullable: false }) name: string;
  @Field(() => [CatalogField], { nullable: false }) fields: CatalogField[];
}

@ObjectType({ description: 'A subject of the permission catalog: what a role entry can name.' })
export class CatalogSubject {
  @Field({ nullable: false }) name: string;
  @Field({ nullable: false }) description: string;
  @Field(() => [String], { nullable: false }) actions: string[];
  @Field({ nullable: false, description: 'Reads of this subject are health data and are written to the clinical access log.' }) clinical: boolean;
  @Field(() => [CatalogFieldGroup], { nullable: false }) fieldGroups: CatalogFieldGroup[];
}
