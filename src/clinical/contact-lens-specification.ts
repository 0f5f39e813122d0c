/**
 * Contact lens specification input: each eye's lens details in range, a power for at least one eye,
 * the issue and expiry dates, and the normalisation that goes with it (the issue date, defaulting to
 * today, and the date of birth of a patient under 16). Throws BAD_USER_INPUT naming the full input path.
 *
 * In two steps, because the second uses the patient's date of birth: `checkContactLensSpecification` checks
 * the input alone (run first, for anyone); `contactLensPatientDateOfBirth` checks the issue date against the
 * date of birth (not before it; the expiry date is after the issue date, so not before it either) and derives
 * the date of birth the specification carries. The service runs the second only for a caller who may read
 * Customer.dateOfBirth at the customer's home store, and refuses everyone else with FORBIDDEN first
 * (policies/derived-fields.ts): its outcome, its message and the derived value would disclose the date.
 */
import { badInput } from '../errors/errors';
import { LensReplacement } from '../schema/enums';
import type { IssueContactLensSpecificationInput } from '../schema/inputs/clinical.inputs';
import { addYears, checkIsoDate, checkNotBeforeBirth, checkPastDate, isIsoDate } from './dates';
import { checkEyePowers, type Side, sideFieldNamer } from './eye-powers';
import { checkEnum, checkMaxLength, checkSteppedRange, isGiven, isGivenText, type SteppedRange } from './field-checks';

export interface ContactLensSpecificationValidationResult {
  /** The issue date: as given, or today. */
  issuedOn: string;
  /** The patient's date of birth when under 16 on the issue date (it must appear on the specification), else null. */
  patientDateOfBirth: string | null;
}

const LENS_POWER: SteppedRange = { min: -30, max: 30, step: 0.25, signed: true, unit: 'D' };
const BASE_CURVE: SteppedRange = { min: 6, max: 10.5, step: 0.01, signed: false, unit: 'mm' };
const LENS_DIAMETER: SteppedRange = { min: 8, max: 16, step: 0.01, signed: false, unit: 'mm' };

const MAX_LENS_TEXT = 100;
const MAX_SPECIFICATION_YEARS = 5;
const SPECIFICATION_DOB_UNDER_AGE = 16;

interface ContactLensEye {
  brand?: string | null;
  design?: string | null;
  material?: string | null;
  baseCurve?: number | null;
  diameter?: number | null;
  power?: number | null;
  cylinder?: number | null;
  axis?: number | null;
  nearAdd?: number | null;
}

function contactLensEye(input: IssueContactLensSpecificationInput, side: Side): ContactLensEye {
  return {
    brand: input[`${side}Brand` as const],
    design: input[`${side}Design` as const],
    material: input[`${side}Material` as const],
    baseCurve: input[`${side}BaseCurve` as const],
    diameter: input[`${side}Diameter` as const],
    power: input[`${side}Power` as const],
    cylinder: input[`${side}Cylinder` as const],
    axis: input[`${side}Axis` as const],
    nearAdd: input[`${side}NearAdd` as const],
  };
}

function hasAnyLensDetailBesidesPower(lens: ContactLensEye): boolean {
  return [lens.brand, lens.design, lens.material].some(isGivenText)
    || [lens.baseCurve, lens.diameter, lens.cylinder, lens.axis, lens.nearAdd].some(isGiven);
}

function validateContactLensEye(lens: ContactLensEye, path: string, side: Side): void {
  const field = sideFieldNamer<keyof ContactLensEye>(path, side);
  checkMaxLength(lens.brand, field('brand'), MAX_LENS_TEXT);
  checkMaxLength(lens.design, field('design'), MAX_LENS_TEXT);
  checkMaxLength(lens.material, field('material'), MAX_LENS_TEXT);
  if (isGiven(lens.baseCurve)) checkSteppedRange(lens.baseCurve, field('baseCurve'), BASE_CURVE);
  if (isGiven(lens.diameter)) checkSteppedRange(lens.diameter, field('diameter'), LENS_DIAMETER);
  if (isGiven(lens.power)) checkSteppedRange(lens.power, field('power'), LENS_POWER);
  checkEyePowers({ cylinder: lens.cylinder, axis: lens.axis, nearAdd: lens.nearAdd }, sideFieldNamer(path, side));
  if (!isGiven(lens.power) && hasAnyLensDetailBesidesPower(lens)) {
    throw badInput(field('power'), `is required when other ${side}-eye lens details are given`);
  }
}

function checkExpiry(expiresOn: unknown, issuedOn: string, field: string): void {
  checkIsoDate(expiresOn, field);
  if (expiresOn <= issuedOn) throw badInput(field, 'must be after the issue date');
  if (expiresOn > addYears(issuedOn, MAX_SPECIFICATION_YEARS)) {
    throw badInput(field, `must be at most ${MAX_SPECIFICATION_YEARS} years after the issue date`);
  }
}

/** The date of birth when the patient is under 16 on `onDate`, else null (also null when it is unknown). */
function dateOfBirthIfUnder16(dateOfBirth: string | null | undefined, onDate: string): string | null {
  if (!isGiven(dateOfBirth)) return null;
  if (!isIsoDate(dateOfBirth)) throw new Error('customer date of birth must be YYYY-MM-DD');
  return onDate < addYears(dateOfBirth, SPECIFICATION_DOB_UNDER_AGE) ? dateOfBirth : null;
}

/**
 * The input alone: per-eye lens details in range, a power for at least one eye (and for any eye with other
 * details), issuedOn (default today) not in the future nor before 1900, expiresOn after it and at most 5
 * years later. Returns the issue date. Uses nothing of the patient's.
 */
export function checkContactLensSpecification(input: IssueContactLensSpecificationInput, path: string, today: string): { issuedOn: string } {
  const issuedOn = input.issuedOn ?? today;
  checkPastDate(issuedOn, `${path}.issuedOn`, today);
  checkExpiry(input.expiresOn, issuedOn, `${path}.expiresOn`);
  if (isGiven(input.replacement)) checkEnum(LensReplacement, input.replacement, `${path}.replacement`);
  const right = contactLensEye(input, 'right');
  const left = contactLensEye(input, 'left');
  validateContactLensEye(right, path, 'right');
  validateContactLensEye(left, path, 'left');
  if (!isGiven(right.power) && !isGiven(left.power)) {
    throw badInput(`${path}.rightPower`, 'at least one eye needs a power (rightPower or leftPower)');
  }
  return { issuedOn };
}

/**
 * With the patient's date of birth (only for a caller who may read it): the issue date not before it, and
 * the date of birth the specification carries for a patient under 16 on the issue date (else null).
 */
export function contactLensPatientDateOfBirth(issuedOn: string, path: string, customerDateOfBirth: string | null | undefined): string | null {
  if (isGiven(customerDateOfBirth)) checkNotBeforeBirth(issuedOn, `${path}.issuedOn`, customerDateOfBirth);
  return dateOfBirthIfUnder16(customerDateOfBirth, issuedOn);
}

/** Both steps at once (for callers who may read the date of birth): the issue date and the date of birth to carry. */
export function validateContactLensSpecification(
  input: IssueContactLensSpecificationInput,
  path: string,
  today: string,
  customerDateOfBirth: string | null | undefined,
): ContactLensSpecificationValidationResult {
  const { issuedOn } = checkContactLensSpecification(input, path, today);
  return { issuedOn, patientDateOfBirth: contactLensPatientDateOfBirth(issuedOn, path, customerDateOfBirth) };
}
