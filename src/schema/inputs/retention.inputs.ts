/**
 * Input for changing a chain's retention policy; rules left out stay as they are. Ranges (RETENTION_POLICY_RANGES)
 * are checked by src/services/retention/retention-policy.ts (BAD_USER_INPUT naming e.g. `input.adultYears`).
 */
import { Field, InputType, Int } from 'type-graphql';
import { RETENTION_POLICY_RANGES } from '../core/retention-policy.entity';

const range = (name: keyof typeof RETENTION_POLICY_RANGES, what: string): string =>
  `${what}, ${RETENTION_POLICY_RANGES[name].min}-${RETENTION_POLICY_RANGES[name].max}.`;

@InputType({ description: 'Changes to the chain’s retention policy; rules left out stay as they are.' })
export class UpdateRetentionPolicyInput {
  @Field(() => Int, { description: range('adultYears', 'Years after the last clinical contact') }) adultYears?: number | null;
  @Field(() => Int, { description: range('childUntilAge', 'Age (birthday) a child’s records are kept to at least') }) childUntilAge?: number | null;
  @Field(() => Int, { description: range('childUnderAge', 'Age at the last clinical contact under which a customer counts as a child') }) childUnderAge?: number | null;
}
