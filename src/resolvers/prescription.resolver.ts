/**
 * issueSpectaclePrescription, issueContactLensSpecification and addClinicalNote, and a clinical note's
 * parts (stored encrypted; decrypted here, per field, once the field guard lets the field through), or its
 * client-side-encrypted SOAP parts (the practice's ciphertext, returned as stored).
 */
import { Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { AppContext } from '../context/app-context';
import { readClinicalText } from '../services/clinical-text';
import { Arg } from '../schema/arg';
import { ClinicalNote } from '../schema/clinical/clinical-note.entity';
import { EncryptedSoapNote } from '../schema/clinical/encrypted-soap-note.type';
import { ContactLensSpecification } from '../schema/clinical/contact-lens-specification.entity';
import { SpectaclePrescription } from '../schema/clinical/spectacle-prescription.entity';
import { AddClinicalNoteInput, IssueContactLensSpecificationInput, IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { addClinicalNote, encryptedSoapNoteOf } from '../services/clinical-note-service';
import { issueContactLensSpecification, issueSpectaclePrescription } from '../services/prescription-service';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => ClinicalNote)
export class PrescriptionResolver {
  @FieldResolver(() => String)
  subjective(@Root() note: ClinicalNote, @Ctx() ctx: AppContext): Promise<string | null> {
    return readClinicalText(ctx, 'ClinicalNote', note, 'subjective');
  }

  @FieldResolver(() => String)
  objective(@Root() note: ClinicalNote, @Ctx() ctx: AppContext): Promise<string | null> {
    return readClinicalText(ctx, 'ClinicalNote', note, 'objective');
  }

  @FieldResolver(() => String)
  assessment(@Root() note: ClinicalNote, @Ctx() ctx: AppContext): Promise<string | null> {
    return readClinicalText(ctx, 'ClinicalNote', note, 'assessment');
  }

  @FieldResolver(() => String)
  plan(@Root() note: ClinicalNote, @Ctx() ctx: AppContext): Promise<string | null> {
    return readClinicalText(ctx, 'ClinicalNote', note, 'plan');
  }

  @FieldResolver(() => EncryptedSoapNote, { nullable: true, description: 'The SOAP parts encrypted by the practice (client-side-encrypted chains; the four parts are then null). Null for a note written in plaintext.' })
  encryptedSoapNote(@Root() note: ClinicalNote): EncryptedSoapNote | null {
    return encryptedSoapNoteOf(note);
  }

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
