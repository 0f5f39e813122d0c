/**
 * The GraphQL view of a chain's auth policy (`authPolicy`, `updateAuthPolicy`): every rule as it applies now, the
 * defaults filled in (src/services/auth-policy/). The stored row is src/schema/core/auth-policy.entity.ts. Its fields are
 * nullable, as every data field (a field the caller may not read resolves to null alone).
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('AuthPolicy', { description: 'The chain’s sign-in rules: second factors and passkeys by role, session limits (the defaults until changed).' })
export class AuthPolicyView {
  /** Whose policy (not exposed: always the caller's chain). */
  chainId: string;

  @Field(() => [ID], { nullable: true, description: 'Roles whose holders must sign in with a second factor (TOTP, a recovery code or a passkey). Default: every role that reads a clinical subject or exports anything.' })
  secondFactorRoleIds: string[];

  @Field(() => [ID], { nullable: true, description: 'Roles whose holders must sign in with a passkey (phishing-resistant); these need a second factor anyway. Default: none.' })
  passkeyRoleIds: string[];

  @Field(() => Int, { description: 'Minutes a session may stay unused before it ends (1-60; default 15).' })
  idleTimeoutMinutes: number;

  @Field(() => Int, { description: 'Hours a session lasts at most, however active (1-24; default 12).' })
  sessionMaxHours: number;

  @Field(() => Boolean, { description: 'True while the chain has never set a policy: every rule is its default.' })
  isDefault: boolean;

  @Field(() => Date, { nullable: true, description: 'When the policy was last changed (null: never).' })
  updatedAt: Date | null;
}
