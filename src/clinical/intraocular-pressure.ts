/**
 * Intraocular pressure input: one eye, a whole number of mmHg up to 80, the tonometry instrument,
 * and a measurement time (if given) not in the future. Throws BAD_USER_INPUT naming the full input path.
 */
import { TonometryInstrument } from '../schema/enums';
import type { IntraocularPressureInput } from '../schema/inputs/clinical.inputs';
import { checkPastInstant } from './dates';
import { checkEnum, checkIntegerRange, checkSingleEye, isGiven } from './field-checks';

const IOP_MAX_MMHG = 80;

export function validateIntraocularPressure(input: IntraocularPressureInput, path: string, now: Date): void {
  checkSingleEye(input.eye, `${path}.eye`);
  checkIntegerRange(input.mmHg, `${path}.mmHg`, 0, IOP_MAX_MMHG, 'mmHg');
  checkEnum(TonometryInstrument, input.instrument, `${path}.instrument`);
  if (isGiven(input.measuredAt)) checkPastInstant(input.measuredAt, `${path}.measuredAt`, now);
}
