/**
 * Clinical note input: a SOAP note with at least one part not blank and each part at most 10000
 * characters. Throws BAD_USER_INPUT naming the full input path.
 */
import { badInput } from '../errors/errors';
import type { AddClinicalNoteInput } from '../schema/inputs/clinical.inputs';
import { checkMaxLength, isGivenText, MAX_LONG_TEXT } from './field-checks';

/** A SOAP note: at least one part not blank, each at most 10000 characters. */
export function validateClinicalNote(input: AddClinicalNoteInput, path: string): void {
  const parts = [input.subjective, input.objective, input.assessment, input.plan];
  if (!parts.some(isGivenText)) {
    throw badInput(`${path}.subjective`, 'at least one of subjective, objective, assessment or plan is required');
  }
  checkMaxLength(input.subjective, `${path}.subjective`, MAX_LONG_TEXT);
  checkMaxLength(input.objective, `${path}.objective`, MAX_LONG_TEXT);
  checkMaxLength(input.assessment, `${path}.assessment`, MAX_LONG_TEXT);
  checkMaxLength(input.plan, `${path}.plan`, MAX_LONG_TEXT);
}
