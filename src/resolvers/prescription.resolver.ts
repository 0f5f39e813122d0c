/**
 * issueSpectaclePrescription, issueContactLensSpecification and addClinicalNote.
 */
import { Mutation, Resolver } from 'type-graphql';
import { Arg } from '../schema/arg';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { AddClinicalNoteInput, IssueContactLensSpecificationInput, IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { addClinicalNote } from '../services/clinical-note-service';
import { issueContactLensSpecification, issueSpectaclePrescription } from '../services/prescription-service';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver()
export class PrescriptionResolver {
  @Mutation(() => SpectaclePrescription)
  issueSpectaclePrescription(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('input', () => IssueSpectaclePrescriptionInput) input: IssueSpectaclePrescriptionInput,
  ): Promise<SpectaclePrescription> {
    return issueSpectaclePrescription(ctx, input);
  }

  @Mutation(() => ContactLensSpecification)
  issueContactLensSpecification(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('input', () => IssueContactLensSpecificationInput) input: IssueContactLensSpecificationInput,
  ): Promise<ContactLensSpecification> {
    return issueContactLensSpecification(ctx, input);
  }

  @Mutation(() => ClinicalNote)
  addClinicalNote(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => AddClinicalNoteInput) input: AddClinicalNoteInput): Promise<ClinicalNote> {
    return addClinicalNote(ctx, input);
  }
}
