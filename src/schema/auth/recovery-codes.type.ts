/**
 * The answer to `confirmTotpEnrollment`: the ten recovery codes, shown once (only their hashes are stored).
 */
import { Field, ObjectType } from 'type-graphql';

@ObjectType('RecoveryCodes', { description: 'Single-use recovery codes, each usable once as verifyMfa’s code. Shown only here, once: keep them safe.' })
export class RecoveryCodes {
  @Field(() => [String], { nullable: false })
  codes: string[];

  @Field(() => Date, { nullable: false })
  generatedAt: Date;
}
