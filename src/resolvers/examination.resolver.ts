/**
 * createExamination, updateExamination, signExamination, and an examination's findings.
 */
import { Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Arg } from '../schema/arg';
import { Examination } from '../schema/clinical/examination.entity';
import { IntraocularPressure } from '../schema/clinical/intraocular-pressure.entity';
import { Refraction } from '../schema/clinical/refraction.entity';
import { VisualAcuity } from '../schema/clinical/visual-acuity.entity';
import { CreateExaminationInput, UpdateExaminationInput } from '../schema/inputs/clinical.inputs';
import { createExamination, signExamination, updateExamination } from '../services/examination-service';
import { AppContext, requireAuth } from '../context/app-context';

@Resolver(() => Examination)
export class ExaminationResolver {
  @Mutation(() => Examination, { description: 'Drafts an examination, performed by the signed-in practitioner.' })
  createExamination(@Ctx() ctx: AppContext, @Arg('input', () => CreateExaminationInput) input: CreateExaminationInput): Promise<Examination> {
    const { principal, ability } = requireAuth(ctx);
    return createExamination(ctx, principal, ability, input);
  }

  @Mutation(() => Examination, { description: 'Changes a DRAFT examination; signed ones are locked.' })
  updateExamination(
    @Ctx() ctx: AppContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateExaminationInput) input: UpdateExaminationInput,
  ): Promise<Examination> {
    const { principal, ability } = requireAuth(ctx);
    return updateExamination(ctx, principal, ability, id, input);
  }

  @Mutation(() => Examination, { description: 'Signs and locks a DRAFT examination.' })
  signExamination(@Ctx() ctx: AppContext, @Arg('id', () => ID) id: string): Promise<Examination> {
    const { principal, ability } = requireAuth(ctx);
    return signExamination(ctx, principal, ability, id);
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
