/**
 * Visual acuity input: the eye, distance, aid and unit, and the value in the notation of its unit
 * (Snellen metre or foot, logMAR, decimal, ETDRS letters, N-scale, or CF/HM/PL/NPL), normalised
 * with its logMAR equivalent, which must be a plausible acuity (LOGMAR_RANGE) whatever the unit.
 * Throws BAD_USER_INPUT naming the full input path.
 */
import { badInput } from '../errors/errors';
import { AcuityAid, AcuityDistance, AcuityUnit, Eye } from '../schema/enums';
import type { VisualAcuityInput } from '../schema/inputs/clinical.inputs';
import { checkEnum } from './field-checks';

/** An acuity in its normalised notation, with its logMAR equivalent (null when there is none). */
export interface NormalisedAcuity {
  value: string;
  logMar: number | null;
}

/** Results that are not a line on a chart: count fingers, hand movements, perception of light, no perception of light. */
const NON_NUMERIC_ACUITIES = new Set(['CF', 'HM', 'PL', 'NPL']);
/** The N-scale print sizes on a standard near chart. */
const N_SCALE_SIZES = new Set([5, 6, 8, 10, 12, 14, 18, 24, 36, 48]);

/**
 * The acuities a chart or a test can record, as logMAR: from -0.3 (6/3, better than any chart line in
 * use) to 3.0 (6/6000; worse than that is counted fingers, hand movements or light perception, which
 * are recorded as such). Outside it a value is a typing error (6/0.0000001 would be logMAR -7.78), and
 * the normalised column could not hold it.
 */
export const LOGMAR_RANGE = { min: -0.3, max: 3.0 } as const;

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
  const normalised = inNotation(input.unit, value, valueField);
  if (normalised.logMar !== null && (normalised.logMar < LOGMAR_RANGE.min || normalised.logMar > LOGMAR_RANGE.max)) {
    throw badInput(valueField, `is not a plausible visual acuity (logMAR ${LOGMAR_RANGE.min} to ${LOGMAR_RANGE.max.toFixed(1)}, e.g. Snellen 6/3 to 6/6000; record worse vision as CF, HM, PL or NPL)`);
  }
  return normalised;
}

function inNotation(unit: AcuityUnit, value: string, field: string): NormalisedAcuity {
  switch (unit) {
    case AcuityUnit.SNELLEN_METRE: return snellen(value, 6, field);
    case AcuityUnit.SNELLEN_FOOT: return snellen(value, 20, field);
    case AcuityUnit.LOGMAR: return logMarNotation(value, field);
    case AcuityUnit.DECIMAL: return decimalNotation(value, field);
    case AcuityUnit.ETDRS_LETTERS: return etdrsLetters(value, field);
    case AcuityUnit.N_SCALE: return nScale(value, field);
  }
}
