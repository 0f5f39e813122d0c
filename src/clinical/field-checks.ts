/**
 * Generic checks of one clinical input field: presence, enum membership, finite numbers in stepped
 * or whole-number ranges, text length and list size. Each check throws BAD_USER_INPUT naming the
 * field it is given.
 */
import { badInput } from '../errors/errors';
import { Eye } from '../schema/enums';

/** A numeric range with the step its values must be a multiple of (e.g. dioptres in quarter steps). */
export interface SteppedRange {
  min: number;
  max: number;
  step: number;
  /** Show a + on positive bounds (dioptres are written signed). */
  signed: boolean;
  unit: string;
}

/** The length limit of long free text (examination history, SOAP note parts). */
export const MAX_LONG_TEXT = 10000;

const MAX_LIST_ITEMS = 40;

export function isGiven<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

export function isGivenText(value: string | null | undefined): value is string {
  return isGiven(value) && value.trim() !== '';
}

function isEnumValue<E extends Record<string, string>>(enumObject: E, value: unknown): value is E[keyof E] {
  return typeof value === 'string' && (Object.values(enumObject) as string[]).includes(value);
}

export function checkEnum<E extends Record<string, string>>(enumObject: E, value: unknown, field: string): void {
  if (!isEnumValue(enumObject, value)) throw badInput(field, `must be one of ${Object.values(enumObject).join(', ')}`);
}

/** The eye of a measurement taken on one eye: RIGHT or LEFT (not BOTH). */
export function checkSingleEye(eye: unknown, field: string): void {
  if (eye !== Eye.RIGHT && eye !== Eye.LEFT) throw badInput(field, 'must be RIGHT or LEFT');
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

export function checkSteppedRange(value: unknown, field: string, range: SteppedRange): void {
  checkFiniteNumber(value, field);
  if (value < range.min || value > range.max) {
    throw badInput(field, `must be between ${formatBound(range.min, range)} and ${formatBound(range.max, range)} ${range.unit}`);
  }
  if (!isMultipleOf(value, range.step)) throw badInput(field, `must be in steps of ${range.step} ${range.unit}`);
}

export function checkIntegerRange(value: unknown, field: string, min: number, max: number, unit: string): void {
  checkFiniteNumber(value, field);
  if (!Number.isInteger(value)) throw badInput(field, 'must be a whole number');
  if (value < min || value > max) throw badInput(field, `must be between ${min} and ${max} ${unit}`);
}

/** Length in characters (code points), as the database counts them. */
function characterCount(text: string): number {
  return [...text].length;
}

export function checkMaxLength(value: string | null | undefined, field: string, max: number): void {
  if (!isGiven(value)) return;
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  if (characterCount(value) > max) throw badInput(field, `must be at most ${max} characters`);
}

export function checkListSize(list: readonly unknown[] | null | undefined, field: string): void {
  if (isGiven(list) && list.length > MAX_LIST_ITEMS) throw badInput(field, `must have at most ${MAX_LIST_ITEMS} entries`);
}
