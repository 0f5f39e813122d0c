/**
 * Examination input, on create and update alike: the examination time, the free-text fields, and
 * each refraction, visual acuity and intraocular pressure in it (at most 40 of each). Returns the
 * normalised acuities; throws BAD_USER_INPUT naming the full input path.
 */
import type { CreateExaminationInput, UpdateExaminationInput } from '../schema/inputs/clinical.inputs';
import { checkPastInstant } from './dates';
import { checkListSize, checkMaxLength, isGiven, MAX_LONG_TEXT } from './field-checks';
import { validateIntraocularPressure } from './intraocular-pressure';
import { validateRefraction } from './refraction';
import { type NormalisedAcuity, validateVisualAcuity } from './visual-acuity';

export interface ExaminationValidationResult {
  /** The normalised acuities, in input order (empty when none were given). */
  visualAcuities: NormalisedAcuity[];
}

function validateEach<T, R>(list: readonly T[] | null | undefined, field: string, validate: (item: T, itemPath: string) => R): R[] {
  checkListSize(list, field);
  return (list ?? []).map((item, index) => validate(item, `${field}[${index}]`));
}

/** Create and update alike: what is given is checked; returns the normalised acuities in input order. */
export function validateExaminationInput(
  input: CreateExaminationInput | UpdateExaminationInput,
  path: string,
  now: Date,
): ExaminationValidationResult {
  if (isGiven(input.examinedAt)) checkPastInstant(input.examinedAt, `${path}.examinedAt`, now);
  checkMaxLength(input.reasonForVisit, `${path}.reasonForVisit`, MAX_LONG_TEXT);
  checkMaxLength(input.history, `${path}.history`, MAX_LONG_TEXT);
  validateEach(input.refractions, `${path}.refractions`, validateRefraction);
  const visualAcuities = validateEach(input.visualAcuities, `${path}.visualAcuities`, validateVisualAcuity);
  validateEach(input.intraocularPressures, `${path}.intraocularPressures`, (item, itemPath) =>
    validateIntraocularPressure(item, itemPath, now));
  return { visualAcuities };
}
