/**
 * Input for changing a chain's auth policy; rules left out stay as they are. Checked by
 * src/services/auth-policy/update-auth-policy.ts (BAD_USER_INPUT naming e.g. `input.idleTimeoutMinutes`).
 */
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'Changes to the chain’s auth policy; rules left out stay as they are. Applies to sessions opened afterwards.' })
export class UpdateAuthPolicyInput {
  @Field(() => [ID], { nullable: true, description: 'Roles (of the chain) whose holders must sign in with a second factor; replaces the list.' })
  secondFactorRoleIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Roles (of the chain) whose holders must sign in with a passkey; replaces the list.' })
  passkeyRoleIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Idle timeout in minutes, 1-60.' })
  idleTimeoutMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Session maximum in hours, 1-24.' })
  sessionMaxHours?: number | null;
}
