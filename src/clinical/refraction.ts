/**
 * Refraction input: one eye, a refraction type, a required sphere and the other dioptric values in
 * range. Throws BAD_USER_INPUT naming the full input path.
 */
import { badInput } from '../errors/errors';
import { RefractionType } from '../schema/enums';
import type { RefractionInput } from '../schema/inputs/clinical.inputs';
import { checkEyePowers, nestedFieldNamer } from './eye-powers';
import { checkEnum, checkSingleEye, isGiven } from './field-checks';

export function validateRefraction(input: RefractionInput, path: string): void {
  checkSingleEye(input.eye, `${path}.eye`);
  checkEnum(RefractionType, input.type, `${path}.type`);
  if (!isGiven(input.sphere)) throw badInput(`${path}.sphere`, 'is required');
  checkEyePowers(input, nestedFieldNamer(path));
}
