/**
 * Spectacle prescription input: the outcome, issue date and notes, and each eye's powers, with the
 * spheres each outcome requires. Throws BAD_USER_INPUT naming the full input path.
 */
import { badInput } from '../errors/errors';
import { PrescriptionOutcome } from '../schema/enums';
import type { IssueSpectaclePrescriptionInput } from '../schema/inputs/clinical.inputs';
import { checkPastDate } from './dates';
import { checkEyePowers, type EyePowers, type Side, sideFieldNamer } from './eye-powers';
import { checkEnum, checkMaxLength, isGiven } from './field-checks';

const MAX_PRESCRIPTION_NOTES = 2000;

const OUTCOMES_NEEDING_BOTH_SPHERES: ReadonlySet<PrescriptionOutcome> = new Set([PrescriptionOutcome.NEW_RX, PrescriptionOutcome.NO_CHANGE]);

function spectacleEyePowers(input: IssueSpectaclePrescriptionInput, side: Side): EyePowers {
  return {
    sphere: input[`${side}Sphere` as const],
    cylinder: input[`${side}Cylinder` as const],
    axis: input[`${side}Axis` as const],
    nearAdd: input[`${side}NearAdd` as const],
    prismHorizontal: input[`${side}PrismHorizontal` as const],
    prismHorizontalBase: input[`${side}PrismHorizontalBase` as const],
    prismVertical: input[`${side}PrismVertical` as const],
    prismVerticalBase: input[`${side}PrismVerticalBase` as const],
  };
}

function hasAnyValueBesidesSphere(powers: EyePowers): boolean {
  return [
    powers.cylinder, powers.axis, powers.nearAdd, powers.prismHorizontal, powers.prismHorizontalBase,
    powers.prismVertical, powers.prismVerticalBase,
  ].some(isGiven);
}

function validateSpectacleEye(input: IssueSpectaclePrescriptionInput, path: string, side: Side): void {
  const powers = spectacleEyePowers(input, side);
  const field = sideFieldNamer(path, side);
  checkEyePowers(powers, field);
  if (!isGiven(powers.sphere)) {
    if (OUTCOMES_NEEDING_BOTH_SPHERES.has(input.outcome)) throw badInput(field('sphere'), `is required when the outcome is ${input.outcome}`);
    if (hasAnyValueBesidesSphere(powers)) throw badInput(field('sphere'), `is required when other ${side}-eye values are given`);
  }
}

/**
 * A spectacle prescription: each eye's powers in range, both spheres for NEW_RX and NO_CHANGE,
 * a sphere for any eye with other values, issuedOn (if given) not in the future, notes ≤ 2000 characters.
 */
export function validateSpectaclePrescription(input: IssueSpectaclePrescriptionInput, path: string, today: string): void {
  checkEnum(PrescriptionOutcome, input.outcome, `${path}.outcome`);
  if (isGiven(input.issuedOn)) checkPastDate(input.issuedOn, `${path}.issuedOn`, today);
  checkMaxLength(input.notes, `${path}.notes`, MAX_PRESCRIPTION_NOTES);
  validateSpectacleEye(input, path, 'right');
  validateSpectacleEye(input, path, 'left');
}
