/**
 * createExamination, updateExamination, signExamination, an examination's findings, and its free text
 * (stored encrypted; decrypted here, per field, once the field guard lets the field through).
 */
import { Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';
import { CreateExaminationInput, UpdateExaminationInput } from '../schema/inputs/clinical.inputs';
import { readClinicalText } from '../services/clinical-text';
import { createExamination, signExamination, updateExamination } from '../services/examination-service';
import { AppContext } from '../context/app-context';
import { Authenticated, AuthenticatedContext } from '../context/authenticated-context';

@Resolver(() => Examination)
export class ExaminationResolver {
  @FieldResolver(() => String)
  reasonForVisit(@Root() exam: Examination, @Ctx() ctx: AppContext): Promise<string | null> {
    return readClinicalText(ctx, 'Examination', exam, 'reasonForVisit');
  }

  @FieldResolver(() => String, { description: 'General, ocular, medication and family history as taken.' })
  history(@Root() exam: Examination, @Ctx() ctx: AppContext): Promise<string | null> {
    return readClinicalText(ctx, 'Examination', exam, 'history');
  }

  @Mutation(() => Examination, { description: 'Drafts an examination, performed by the signed-in practitioner.' })
  createExamination(@Authenticated() ctx: AuthenticatedContext, @Arg('input', () => CreateExaminationInput) input: CreateExaminationInput): Promise<Examination> {
    return createExamination(ctx, input);
  }

  @Mutation(() => Examination, { description: 'Changes a DRAFT examination; signed ones are locked.' })
  updateExamination(
    @Authenticated() ctx: AuthenticatedContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateExaminationInput) input: UpdateExaminationInput,
  ): Promise<Examination> {
    return updateExamination(ctx, id, input);
  }

  @Mutation(() => Examination, { description: 'Signs and locks a DRAFT examination.' })
  signExamination(@Authenticated() ctx: AuthenticatedContext, @Arg('id', () => ID) id: string): Promise<Examination> {
    return signExamination(ctx, id);
  }

  @FieldResolver(() => [Refraction])
  refractions(@Root() exam: Examination, @Ctx() ctx: AppContext): Promise<Refraction[]> {
    return ctx.loaders.refractions.load(exam.id);
  }

  @FieldResolver(() => [VisualAcuity])
  visualAcuities(@Root() exam: Examination, @Ctx() ctx: AppContext): Promise<VisualAcuity[]> {
    return ctx.loaders.visualAcuities.load(exam.id);
  }

  @FieldResolver(() => [IntraocularPressure])
  intraocularPressures(@Root() exam: Examination, @Ctx() ctx: AppContext): Promise<IntraocularPressure[]> {
    return ctx.loaders.intraocularPressures.load(exam.id);
  }
}
