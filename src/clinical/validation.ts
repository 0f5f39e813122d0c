/**
 * Clinical input validation: the optometric ranges and consistency rules for refractions, visual
 * acuities, eye pressures, examinations, spectacle prescriptions, contact lens specifications and
 * clinical notes, plus the normalisation that goes with them (logMAR for acuities, the issue date and
 * the under-16 date of birth for contact lens specifications). Pure functions, no database: each
 * validator throws the first problem it finds as BAD_USER_INPUT naming the full input path.
 */
import { badInput } from '../errors/errors';
import {
  AcuityAid, AcuityDistance, AcuityUnit, Eye, LensReplacement, PrescriptionOutcome, PrismBaseHorizontal,
  PrismBaseVertical, RefractionType, TonometryInstrument,
} from '../schema/enums';
import type {
  AddClinicalNoteInput, CreateExaminationInput, IntraocularPressureInput, IssueContactLensSpecificationInput,
  IssueSpectaclePrescriptionInput, RefractionInput, UpdateExaminationInput, VisualAcuityInput,
} from '../schema/inputs/clinical.inputs';

/** An acuity in its normalised notation, with its logMAR equivalent (null when there is none). */
export interface NormalisedAcuity {
  value: string;
  logMar: number | null;
}

export interface ExaminationValidationResult {
  /** The normalised acuities, in input order (empty when none were given). */
  visualAcuities: NormalisedAcuity[];
}

export interface ContactLensSpecificationValidationResult {
  /** The issue date: as given, or today. */
  issuedOn: string;
  /** The patient's date of birth when under 16 on the issue date (it must appear on the specification), else null. */
  patientDateOfBirth: string | null;
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

interface SteppedRange {
  min: number;
  max: number;
  step: number;
  /** Show a + on positive bounds (dioptres are written signed). */
  signed: boolean;
  unit: string;
}

const SPHERE: SteppedRange = { min: -30, max: 30, step: 0.25, signed: true, unit: 'D' };
const CYLINDER: SteppedRange = { min: -10, max: 10, step: 0.25, signed: true, unit: 'D' };
const NEAR_ADD: SteppedRange = { min: 0.25, max: 4, step: 0.25, signed: true, unit: 'D' };
const PRISM: SteppedRange = { min: 0.25, max: 20, step: 0.25, signed: false, unit: 'prism dioptres' };
const LENS_POWER: SteppedRange = { min: -30, max: 30, step: 0.25, signed: true, unit: 'D' };
const BASE_CURVE: SteppedRange = { min: 6, max: 10.5, step: 0.01, signed: false, unit: 'mm' };
const LENS_DIAMETER: SteppedRange = { min: 8, max: 16, step: 0.01, signed: false, unit: 'mm' };

const AXIS_MIN = 1;
const AXIS_MAX = 180;
const IOP_MAX_MMHG = 80;

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const EARLIEST_INSTANT = new Date(Date.UTC(1900, 0, 1));
const EARLIEST_DATE = '1900-01-01';

const MAX_LIST_ITEMS = 40;
const MAX_LONG_TEXT = 10000;
const MAX_PRESCRIPTION_NOTES = 2000;
const MAX_LENS_TEXT = 100;
const MAX_SPECIFICATION_YEARS = 5;
const SPECIFICATION_DOB_UNDER_AGE = 16;

/** Results that are not a line on a chart: count fingers, hand movements, perception of light, no perception of light. */
const NON_NUMERIC_ACUITIES = new Set(['CF', 'HM', 'PL', 'NPL']);
/** The N-scale print sizes on a standard near chart. */
const N_SCALE_SIZES = new Set([5, 6, 8, 10, 12, 14, 18, 24, 36, 48]);

// ---------------------------------------------------------------------------------------------
// Generic checks
// ---------------------------------------------------------------------------------------------

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function isGivenText(value: string | null | undefined): value is string {
  return isGiven(value) && value.trim() !== '';
}

function isEnumValue<E extends Record<string, string>>(enumObject: E, value: unknown): value is E[keyof E] {
  return typeof value === 'string' && (Object.values(enumObject) as string[]).includes(value);
}

function checkEnum<E extends Record<string, string>>(enumObject: E, value: unknown, field: string): void {
  if (!isEnumValue(enumObject, value)) throw badInput(field, `must be one of ${Object.values(enumObject).join(', ')}`);
}

function checkFiniteNumber(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badInput(field, 'must be a finite number');
}

function isMultipleOf(value: number, step: number): boolean {
  const steps = value / step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}

function formatBound(value: number, range: SteppedRange): string {
  const text = value.toFixed(2);
  return range.signed && value > 0 ? `+${text}` : text;
}

function checkSteppedRange(value: unknown, field: string, range: SteppedRange): void {
  checkFiniteNumber(value, field);
  if (value < range.min || value > range.max) {
    throw badInput(field, `must be between ${formatBound(range.min, range)} and ${formatBound(range.max, range)} ${range.unit}`);
  }
  if (!isMultipleOf(value, range.step)) throw badInput(field, `must be in steps of ${range.step} ${range.unit}`);
}

function checkIntegerRange(value: unknown, field: string, min: number, max: number, unit: string): void {
  checkFiniteNumber(value, field);
  if (!Number.isInteger(value)) throw badInput(field, 'must be a whole number');
  if (value < min || value > max) throw badInput(field, `must be between ${min} and ${max} ${unit}`);
}

/** Length in characters (code points), as the database counts them. */
function characterCount(text: string): number {
  return [...text].length;
}

function checkMaxLength(value: string | null | undefined, field: string, max: number): void {
  if (!isGiven(value)) return;
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  if (characterCount(value) > max) throw badInput(field, `must be at most ${max} characters`);
}

function checkListSize(list: readonly unknown[] | null | undefined, field: string): void {
  if (isGiven(list) && list.length > MAX_LIST_ITEMS) throw badInput(field, `must have at most ${MAX_LIST_ITEMS} entries`);
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkIsoDate(value: unknown, field: string): asserts value is string {
  if (!isIsoDate(value)) throw badInput(field, 'must be a date as YYYY-MM-DD');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same calendar day `years` later; 29 February becomes 28 February in a common year. */
function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const targetYear = year + years;
  const targetDay = Math.min(day, daysInMonth(targetYear, month));
  return `${String(targetYear).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(targetDay).padStart(2, '0')}`;
}

/** A calendar date (YYYY-MM-DD) not in the future and not before 1900. */
function checkPastDate(value: unknown, field: string, today: string): asserts value is string {
  checkIsoDate(value, field);
  if (value > today) throw badInput(field, 'must not be in the future');
  if (value < EARLIEST_DATE) throw badInput(field, `must not be before ${EARLIEST_DATE}`);
}

/** An instant not in the future (allowing 5 minutes of clock skew) and not before 1900. */
function checkPastInstant(value: unknown, field: string, now: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, 'must be a valid date and time');
  if (value.getTime() > now.getTime() + CLOCK_SKEW_MS) throw badInput(field, 'must not be in the future');
  if (value.getTime() < EARLIEST_INSTANT.getTime()) throw badInput(field, 'must not be before 1900');
}

// ---------------------------------------------------------------------------------------------
// Lens powers shared by refractions, spectacle prescriptions and contact lens specifications
// ---------------------------------------------------------------------------------------------

/** The dioptric values of one eye, whichever input they come from. */
interface EyePowers {
  sphere?: number | null;
  cylinder?: number | null;
  axis?: number | null;
  nearAdd?: number | null;
  prismHorizontal?: number | null;
  prismHorizontalBase?: PrismBaseHorizontal | null;
  prismVertical?: number | null;
  prismVerticalBase?: PrismBaseVertical | null;
}

/** Maps a generic value name to the input path of that value (e.g. "cylinder" → "input.rightCylinder"). */
type FieldNamer = (name: keyof EyePowers) => string;

type Side = 'right' | 'left';

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function nestedFieldNamer(path: string): FieldNamer {
  return (name) => `${path}.${name}`;
}

function sideFieldNamer(path: string, side: Side): FieldNamer {
  return (name) => `${path}.${side}${capitalise(name)}`;
}

/** Axis 1-180, required when the cylinder is not 0 and absent when there is no cylinder. */
function checkAxis(axis: number | null | undefined, cylinder: number | null | undefined, field: string): void {
  const hasCylinder = isGiven(cylinder) && cylinder !== 0;
  if (!hasCylinder) {
    if (isGiven(axis)) throw badInput(field, 'must be empty when there is no cylinder');
    return;
  }
  if (!isGiven(axis)) throw badInput(field, 'is required when the cylinder is not 0');
  checkIntegerRange(axis, field, AXIS_MIN, AXIS_MAX, 'degrees');
}

/** A prism component: value and base come together or not at all. */
function checkPrism<B extends Record<string, string>>(
  value: number | null | undefined,
  base: string | null | undefined,
  bases: B,
  valueField: string,
  baseField: string,
): void {
  if (!isGiven(value)) {
    if (isGiven(base)) throw badInput(baseField, 'must be empty when no prism is given');
    return;
  }
  checkSteppedRange(value, valueField, PRISM);
  if (!isGiven(base)) throw badInput(baseField, 'is required when a prism is given');
  checkEnum(bases, base, baseField);
}

function checkEyePowers(powers: EyePowers, field: FieldNamer): void {
  if (isGiven(powers.sphere)) checkSteppedRange(powers.sphere, field('sphere'), SPHERE);
  if (isGiven(powers.cylinder)) checkSteppedRange(powers.cylinder, field('cylinder'), CYLINDER);
  checkAxis(powers.axis, powers.cylinder, field('axis'));
  if (isGiven(powers.nearAdd)) checkSteppedRange(powers.nearAdd, field('nearAdd'), NEAR_ADD);
  checkPrism(powers.prismHorizontal, powers.prismHorizontalBase, PrismBaseHorizontal, field('prismHorizontal'), field('prismHorizontalBase'));
  checkPrism(powers.prismVertical, powers.prismVerticalBase, PrismBaseVertical, field('prismVertical'), field('prismVerticalBase'));
}

function checkSingleEye(eye: unknown, field: string): void {
  if (eye !== Eye.RIGHT && eye !== Eye.LEFT) throw badInput(field, 'must be RIGHT or LEFT');
}

// ---------------------------------------------------------------------------------------------
// Refraction
// ---------------------------------------------------------------------------------------------

export function validateRefraction(input: RefractionInput, path: string): void {
  checkSingleEye(input.eye, `${path}.eye`);
  checkEnum(RefractionType, input.type, `${path}.type`);
  if (!isGiven(input.sphere)) throw badInput(`${path}.sphere`, 'is required');
  checkEyePowers(input, nestedFieldNamer(path));
}

// ---------------------------------------------------------------------------------------------
// Visual acuity
// ---------------------------------------------------------------------------------------------

const UNSIGNED_NUMBER = /^(\d+(\.\d+)?|\.\d+)$/;
const SIGNED_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;
const WHOLE_NUMBER = /^\d+$/;

/** Round to 2 decimals, never -0. */
function roundLogMar(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

/** The shortest decimal notation of a number, never "-0". */
function formatNumber(value: number): string {
  return value === 0 ? '0' : String(value);
}

/** "6/x" or "20/x" with x a positive number. */
function snellen(value: string, testDistance: number, field: string): NormalisedAcuity {
  const prefix = `${testDistance}/`;
  const denominatorText = value.startsWith(prefix) ? value.slice(prefix.length) : '';
  const denominator = UNSIGNED_NUMBER.test(denominatorText) ? Number(denominatorText) : NaN;
  if (!Number.isFinite(denominator) || denominator <= 0) {
    throw badInput(field, `must be a Snellen fraction ${testDistance}/x with x a positive number`);
  }
  return { value: `${prefix}${formatNumber(denominator)}`, logMar: roundLogMar(Math.log10(denominator / testDistance)) };
}

function logMarNotation(value: string, field: string): NormalisedAcuity {
  const logMar = SIGNED_NUMBER.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(logMar) || logMar < -0.3 || logMar > 1.7) throw badInput(field, 'must be a logMAR value between -0.3 and 1.7');
  return { value: formatNumber(logMar), logMar: roundLogMar(logMar) };
}

function decimalNotation(value: string, field: string): NormalisedAcuity {
  const decimal = UNSIGNED_NUMBER.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(decimal) || decimal < 0.01 || decimal > 2) throw badInput(field, 'must be a decimal acuity between 0.01 and 2.0');
  return { value: formatNumber(decimal), logMar: roundLogMar(-Math.log10(decimal)) };
}

/** ETDRS letters read: 85 letters is logMAR 0.0, each letter 0.02. */
function etdrsLetters(value: string, field: string): NormalisedAcuity {
  const letters = WHOLE_NUMBER.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(letters) || letters < 0 || letters > 100) throw badInput(field, 'must be a whole number of ETDRS letters between 0 and 100');
  return { value: String(letters), logMar: roundLogMar((170 - 2 * letters) / 100) };
}

/**
 * N-scale near print size (N5…N48). Its logMAR depends on the working distance, which is not
 * recorded, so it has none (null).
 */
function nScale(value: string, field: string): NormalisedAcuity {
  const match = /^N(\d+)$/.exec(value.toUpperCase());
  const size = match ? Number(match[1]) : NaN;
  if (!N_SCALE_SIZES.has(size)) throw badInput(field, `must be an N-scale size: ${[...N_SCALE_SIZES].map((s) => `N${s}`).join(', ')}`);
  return { value: `N${size}`, logMar: null };
}

/**
 * Checks an acuity against its unit and returns it normalised (whitespace removed, numbers in their
 * shortest form, CF/HM/PL/NPL upper-case) with its logMAR rounded to 2 decimals.
 */
export function validateVisualAcuity(input: VisualAcuityInput, path: string): NormalisedAcuity {
  checkEnum(Eye, input.eye, `${path}.eye`);
  checkEnum(AcuityDistance, input.distance, `${path}.distance`);
  checkEnum(AcuityAid, input.aid, `${path}.aid`);
  checkEnum(AcuityUnit, input.unit, `${path}.unit`);
  if (input.unit === AcuityUnit.N_SCALE && input.distance !== AcuityDistance.NEAR) {
    throw badInput(`${path}.unit`, 'N_SCALE is for near acuity only');
  }
  const valueField = `${path}.value`;
  const value = typeof input.value === 'string' ? input.value.replace(/\s+/g, '') : '';
  if (value === '') throw badInput(valueField, 'is required');
  if (NON_NUMERIC_ACUITIES.has(value.toUpperCase())) return { value: value.toUpperCase(), logMar: null };
  switch (input.unit) {
    case AcuityUnit.SNELLEN_METRE: return snellen(value, 6, valueField);
    case AcuityUnit.SNELLEN_FOOT: return snellen(value, 20, valueField);
    case AcuityUnit.LOGMAR: return logMarNotation(value, valueField);
    case AcuityUnit.DECIMAL: return decimalNotation(value, valueField);
    case AcuityUnit.ETDRS_LETTERS: return etdrsLetters(value, valueField);
    case AcuityUnit.N_SCALE: return nScale(value, valueField);
  }
}

// ---------------------------------------------------------------------------------------------
// Intraocular pressure
// ---------------------------------------------------------------------------------------------

export function validateIntraocularPressure(input: IntraocularPressureInput, path: string, now: Date): void {
  checkSingleEye(input.eye, `${path}.eye`);
  checkIntegerRange(input.mmHg, `${path}.mmHg`, 0, IOP_MAX_MMHG, 'mmHg');
  checkEnum(TonometryInstrument, input.instrument, `${path}.instrument`);
  if (isGiven(input.measuredAt)) checkPastInstant(input.measuredAt, `${path}.measuredAt`, now);
}

// ---------------------------------------------------------------------------------------------
// Examination
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Spectacle prescription
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Contact lens specification
// ---------------------------------------------------------------------------------------------

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
  const field = (name: keyof ContactLensEye): string => `${path}.${side}${capitalise(name)}`;
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
 * A contact lens specification: per-eye lens details in range, a power for at least one eye (and for
 * any eye with other details), issuedOn (default today) not in the future, expiresOn after it and at
 * most 5 years later. Returns the issue date and, for a patient under 16 on it, the date of birth.
 */
export function validateContactLensSpecification(
  input: IssueContactLensSpecificationInput,
  path: string,
  today: string,
  customerDateOfBirth: string | null | undefined,
): ContactLensSpecificationValidationResult {
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
  return { issuedOn, patientDateOfBirth: dateOfBirthIfUnder16(customerDateOfBirth, issuedOn) };
}

// ---------------------------------------------------------------------------------------------
// Clinical note
// ---------------------------------------------------------------------------------------------

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
