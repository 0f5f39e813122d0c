/**
 * Inputs for clinical writes: examinations with their findings, prescriptions, contact lens
 * specifications and notes. Ranges are checked by the validators in src/clinical/ (BAD_USER_INPUT naming
 * the field), not here.
 */
import { LocalDate } from '../local-date';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import {
  AcuityAid, AcuityDistance, AcuityUnit, Eye, LensReplacement, PrescriptionOutcome, PrismBaseHorizontal,
  PrismBaseVertical, RefractionType, TonometryInstrument,
} from '../enums';

@InputType({ description: 'A refraction of one eye. Sphere and cylinder in 0.25 D steps; axis 1-180, required when cylinder is not 0.' })
export class RefractionInput {
  @Field(() => Eye, { nullable: false }) eye: Eye;
  @Field(() => RefractionType, { nullable: false }) type: RefractionType;
  @Field(() => Float, { nullable: false }) sphere: number;
  @Field(() => Float) cylinder?: number | null;
  @Field(() => Int) axis?: number | null;
  @Field(() => Float) nearAdd?: number | null;
  @Field(() => Float) prismHorizontal?: number | null;
  @Field(() => PrismBaseHorizontal) prismHorizontalBase?: PrismBaseHorizontal | null;
  @Field(() => Float) prismVertical?: number | null;
  @Field(() => PrismBaseVertical) prismVerticalBase?: PrismBaseVertical | null;
}

@InputType({ description: 'A visual acuity as entered, in the notation of its unit.' })
export class VisualAcuityInput {
  @Field(() => Eye, { nullable: false }) eye: Eye;
  @Field(() => AcuityDistance, { nullable: false }) distance: AcuityDistance;
  @Field(() => AcuityAid, { nullable: false }) aid: AcuityAid;
  @Field(() => AcuityUnit, { nullable: false }) unit: AcuityUnit;
  @Field({ nullable: false }) value: string;
}

@InputType({ description: 'An intraocular pressure reading.' })
export class IntraocularPressureInput {
  @Field(() => Eye, { nullable: false }) eye: Eye;
  @Field(() => Int, { nullable: false }) mmHg: number;
  @Field(() => TonometryInstrument, { nullable: false }) instrument: TonometryInstrument;
  @Field(() => Date) measuredAt?: Date | null;
}

@InputType({ description: 'A new examination (drafted by the signed-in practitioner).' })
export class CreateExaminationInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ID, { nullable: false }) storeId: string;
  @Field(() => Date) examinedAt?: Date | null;
  @Field(() => String) reasonForVisit?: string | null;
  @Field(() => String) history?: string | null;
  @Field(() => [RefractionInput], { nullable: true }) refractions?: RefractionInput[] | null;
  @Field(() => [VisualAcuityInput], { nullable: true }) visualAcuities?: VisualAcuityInput[] | null;
  @Field(() => [IntraocularPressureInput], { nullable: true }) intraocularPressures?: IntraocularPressureInput[] | null;
}

@InputType({ description: 'Changes to a draft examination. A list given replaces the one stored.' })
export class UpdateExaminationInput {
  @Field(() => Date) examinedAt?: Date | null;
  @Field(() => String) reasonForVisit?: string | null;
  @Field(() => String) history?: string | null;
  @Field(() => [RefractionInput], { nullable: true }) refractions?: RefractionInput[] | null;
  @Field(() => [VisualAcuityInput], { nullable: true }) visualAcuities?: VisualAcuityInput[] | null;
  @Field(() => [IntraocularPressureInput], { nullable: true }) intraocularPressures?: IntraocularPressureInput[] | null;
}

@InputType({ description: 'A spectacle prescription issued by the signed-in practitioner.' })
export class IssueSpectaclePrescriptionInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ID, { nullable: false }) storeId: string;
  @Field(() => ID) examinationId?: string | null;
  @Field(() => LocalDate) issuedOn?: string | null;
  @Field(() => PrescriptionOutcome, { nullable: false }) outcome: PrescriptionOutcome;
  @Field(() => String) notes?: string | null;
  @Field(() => Float) rightSphere?: number | null;
  @Field(() => Float) rightCylinder?: number | null;
  @Field(() => Int) rightAxis?: number | null;
  @Field(() => Float) rightNearAdd?: number | null;
  @Field(() => Float) rightPrismHorizontal?: number | null;
  @Field(() => PrismBaseHorizontal) rightPrismHorizontalBase?: PrismBaseHorizontal | null;
  @Field(() => Float) rightPrismVertical?: number | null;
  @Field(() => PrismBaseVertical) rightPrismVerticalBase?: PrismBaseVertical | null;
  @Field(() => Float) leftSphere?: number | null;
  @Field(() => Float) leftCylinder?: number | null;
  @Field(() => Int) leftAxis?: number | null;
  @Field(() => Float) leftNearAdd?: number | null;
  @Field(() => Float) leftPrismHorizontal?: number | null;
  @Field(() => PrismBaseHorizontal) leftPrismHorizontalBase?: PrismBaseHorizontal | null;
  @Field(() => Float) leftPrismVertical?: number | null;
  @Field(() => PrismBaseVertical) leftPrismVerticalBase?: PrismBaseVertical | null;
}

@InputType({ description: 'A contact lens specification issued by the signed-in practitioner.' })
export class IssueContactLensSpecificationInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ID, { nullable: false }) storeId: string;
  @Field(() => ID) examinationId?: string | null;
  @Field(() => LocalDate) issuedOn?: string | null;
  @Field(() => LocalDate, { nullable: false }) expiresOn: string;
  @Field(() => LensReplacement) replacement?: LensReplacement | null;
  @Field(() => String) rightBrand?: string | null;
  @Field(() => String) rightDesign?: string | null;
  @Field(() => String) rightMaterial?: string | null;
  @Field(() => Float) rightBaseCurve?: number | null;
  @Field(() => Float) rightDiameter?: number | null;
  @Field(() => Float) rightPower?: number | null;
  @Field(() => Float) rightCylinder?: number | null;
  @Field(() => Int) rightAxis?: number | null;
  @Field(() => Float) rightNearAdd?: number | null;
  @Field(() => String) leftBrand?: string | null;
  @Field(() => String) leftDesign?: string | null;
  @Field(() => String) leftMaterial?: string | null;
  @Field(() => Float) leftBaseCurve?: number | null;
  @Field(() => Float) leftDiameter?: number | null;
  @Field(() => Float) leftPower?: number | null;
  @Field(() => Float) leftCylinder?: number | null;
  @Field(() => Int) leftAxis?: number | null;
  @Field(() => Float) leftNearAdd?: number | null;
}

@InputType({ description: 'SOAP parts encrypted by the practice (format "AES-256-GCM" of docs/clinical-encryption.md; src/client/soap-note-crypto.ts makes it).' })
export class EncryptedSoapNoteInput {
  @Field(() => String, { nullable: false, description: 'The practice key id (1-100 of A-Z a-z 0-9 . _ : -); one of the chain’s practiceKeyIds when it lists any.' }) keyId: string;
  @Field(() => String, { nullable: false, description: 'Must be "AES-256-GCM".' }) algorithm: string;
  @Field(() => String, { nullable: false, description: 'The 12-byte IV, base64.' }) iv: string;
  @Field(() => String, { nullable: false, description: 'Ciphertext and 16-byte tag, base64 (at most 161024 bytes decoded).' }) ciphertext: string;
}

@InputType({ description: 'A clinical note in SOAP form: at least one part, or (in a chain whose SOAP notes are client-side encrypted, and only there) encryptedSoapNote instead of the parts.' })
export class AddClinicalNoteInput {
  @Field(() => ID, { nullable: false }) customerId: string;
  @Field(() => ID, { nullable: false }) storeId: string;
  @Field(() => ID) examinationId?: string | null;
  @Field(() => String) subjective?: string | null;
  @Field(() => String) objective?: string | null;
  @Field(() => String) assessment?: string | null;
  @Field(() => String) plan?: string | null;
  @Field(() => EncryptedSoapNoteInput, { description: 'The SOAP parts encrypted by the practice: required, and the only form accepted, where the chain’s clinicalEncryptionPolicy has clientSideSoapNotes on; refused elsewhere.' })
  encryptedSoapNote?: EncryptedSoapNoteInput | null;
}
