/**
 * The chain's clinical encryption policy (clinicalEncryptionPolicy, updateClinicalEncryptionPolicy): whether SOAP
 * notes are encrypted by the client. The rules are src/services/clinical-encryption/'s (docs/clinical-encryption.md).
 */
import { Mutation, Query, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ClinicalEncryptionPolicyView } from '../schema/core/clinical-encryption-policy.type';
import { UpdateClinicalEncryptionPolicyInput } from '../schema/inputs/clinical-encryption.inputs';
import { readClinicalEncryptionPolicy, updateClinicalEncryptionPolicy } from '../services/clinical-encryption/clinical-encryption-policy';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => ClinicalEncryptionPolicyView)
export class ClinicalEncryptionResolver {
  @Query(() => ClinicalEncryptionPolicyView, { nullable: false, description: 'Whether the chain’s SOAP notes are encrypted by the client with the practice’s key, and the practice key ids accepted (off until changed).' })
  clinicalEncryptionPolicy(@Authenticated() ctx: AuthenticatedContext): Promise<ClinicalEncryptionPolicyView> {
    return readClinicalEncryptionPolicy(ctx);
  }

  @Mutation(() => ClinicalEncryptionPolicyView, { nullable: false, description: 'Changes the chain’s clinical encryption policy (needs a recent sign-in); kept in the security settings history. Applies to notes written afterwards.' })
  updateClinicalEncryptionPolicy(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('input', () => UpdateClinicalEncryptionPolicyInput) input: UpdateClinicalEncryptionPolicyInput,
  ): Promise<ClinicalEncryptionPolicyView> {
    return updateClinicalEncryptionPolicy(ctx, input);
  }
}
