/**
 * The preview of a role change summarised per subject: how many permissions holders would gain and lose,
 * on how many distinct fields, and who and where.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Store } from '../core/store.entity';
import { User } from '../core/user.entity';

@ObjectType({ description: 'What a role change would change on one subject of the catalog, summed over its holders and stores.' })
export class RoleChangeSubjectSummary {
  @Field({ nullable: false }) subject: string;
  @Field(() => Int, { nullable: false, description: 'Distinct (action, field) pairs gained by at least one holder somewhere.' }) fieldsGained: number;
  @Field(() => Int, { nullable: false, description: 'Distinct (action, field) pairs lost by at least one holder somewhere.' }) fieldsLost: number;
  @Field(() => Int, { nullable: false, description: 'Rows GAINED in previewRoleChange for this subject (user × store × action × field).' }) gained: number;
  @Field(() => Int, { nullable: false, description: 'Rows LOST in previewRoleChange for this subject.' }) lost: number;
  @Field(() => [String], { nullable: false, description: 'The (action, field) pairs gained, as "action field" ("read" alone for a subject without fields), sorted.' }) permissionsGained: string[];
  @Field(() => [String], { nullable: false, description: 'The (action, field) pairs lost, sorted.' }) permissionsLost: string[];
  @Field(() => [User], { nullable: false, description: 'The holders affected, by name (each shown as far as the caller may read User).' }) users: User[];
  @Field(() => [Store], { nullable: false, description: 'The stores where something changes, by name.' }) stores: Store[];
}
