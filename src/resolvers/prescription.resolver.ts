/**
 * issueSpectaclePrescription, issueContactLensSpecification and addClinicalNote.
 */
import { Ctx, Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { AddClinicalNoteInput, IssueContactLensSpecificationInput, IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { addClinicalNote } from '../services/clinical-note-service';
import { issueContactLensSpecification, issueSpectaclePrescription } from '../services/prescription-service';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver()
export class PrescriptionResolver {
  @Mutation(() => SpectaclePrescription)
  issueSpectaclePrescription(
    @Ctx() ctx: AppContext,
    @Arg('input', () => IssueSpectaclePrescriptionInput) input: IssueSpectaclePrescriptionInput,
  ): Promise<SpectaclePrescription> {
    const { principal, ability } = requireAuth(ctx);
    return issueSpectaclePrescription(ctx, principal, ability, input);
  }

  @Mutation(() => ContactLensSpecification)
  issueContactLensSpecification(
    @Ctx() ctx: AppContext,
    @Arg('input', () => IssueContactLensSpecificationInput) input: IssueContactLensSpecificationInput,
  ): Promise<ContactLensSpecification> {
    const { principal, ability } = requireAuth(ctx);
    return issueContactLensSpecification(ctx, principal, ability, input);
  }

  @Mutation(() => ClinicalNote)
  addClinicalNote(@Ctx() ctx: AppContext, @Arg('input', () => AddClinicalNoteInput) input: AddClinicalNoteInput): Promise<ClinicalNote> {
    const { principal, ability } = requireAuth(ctx);
    return addClinicalNote(ctx, principal, ability, input);
  }
}
