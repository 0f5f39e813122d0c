/**
 * Unit tests of the clinical validators (src/clinical/): every optometric range and consistency rule, the exact
 * BAD_USER_INPUT field paths, and the logMAR normalisation of acuities. Pure functions, no database.
 */
import { GraphQLError } from 'graphql';
import { validateClinicalNote } from '../../../src/clinical/clinical-note';
import { checkContactLensSpecification, contactLensPatientDateOfBirth, validateContactLensSpecification } from '../../../src/clinical/contact-lens-specification';
import { checkNotBeforeBirth, couldPrecedeBirth } from '../../../src/clinical/dates';
import { validateExaminationInput } from '../../../src/clinical/examination';
import { validateIntraocularPressure } from '../../../src/clinical/intraocular-pressure';
import { validateRefraction } from '../../../src/clinical/refraction';
import { validateSpectaclePrescription } from '../../../src/clinical/spectacle-prescription';
import { validateVisualAcuity } from '../../../src/clinical/visual-acuity';
import type {
  AddClinicalNoteInput, CreateExaminationInput, IntraocularPressureInput, IssueContactLensSpecificationInput,
  IssueSpectaclePrescriptionInput, RefractionInput, UpdateExaminationInput, VisualAcuityInput,
} from '../../../src/schema/inputs/clinical.inputs';

const NOW = new Date('2025-06-15T12:00:00Z');
const TODAY = '2025-06-15';

/** Runs `action`, expects a BAD_USER_INPUT GraphQLError naming `field`, and returns it. */
function expectBadInput(action: () => unknown, field: string): GraphQLError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GraphQLError);
  const error = caught as GraphQLError;
  expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  return error;
}

// ------------------------------------------------------------------------------------------------
// Refraction
// ------------------------------------------------------------------------------------------------

function refraction(overrides: Record<string, unknown> = {}): RefractionInput {
  return { eye: 'RIGHT', type: 'SUBJECTIVE', sphere: -1.25, ...overrides } as RefractionInput;
}

describe('validateRefraction', () => {
  it('accepts a plain sphere and a full refraction with prism', () => {
    expect(() => validateRefraction(refraction(), 'input')).not.toThrow();
    expect(() => validateRefraction(refraction({
      eye: 'LEFT', sphere: 2.5, cylinder: -0.75, axis: 90, nearAdd: 2,
      prismHorizontal: 1.5, prismHorizontalBase: 'IN', prismVertical: 0.5, prismVerticalBase: 'DOWN',
    }), 'input')).not.toThrow();
  });

  it.each([-30, 30, 0, 0.25, -0.25])('accepts sphere %p', (sphere) => {
    expect(() => validateRefraction(refraction({ sphere }), 'input')).not.toThrow();
  });

  it.each([-30.25, 30.25, 1.1, 0.3, NaN, Infinity, -Infinity])('rejects sphere %p', (sphere) => {
    expectBadInput(() => validateRefraction(refraction({ sphere }), 'input.refractions[2]'), 'input.refractions[2].sphere');
  });

  it('requires the sphere', () => {
    expectBadInput(() => validateRefraction(refraction({ sphere: null }), 'input'), 'input.sphere');
    expectBadInput(() => validateRefraction(refraction({ sphere: undefined }), 'input'), 'input.sphere');
  });

  it.each([-10, 10, -0.25, 0.25])('accepts cylinder %p with an axis (either sign convention)', (cylinder) => {
    expect(() => validateRefraction(refraction({ cylinder, axis: 180 }), 'input')).not.toThrow();
  });

  it.each([-10.25, 10.25, 0.1, NaN, Infinity])('rejects cylinder %p', (cylinder) => {
    expectBadInput(() => validateRefraction(refraction({ cylinder, axis: 90 }), 'input'), 'input.cylinder');
  });

  it.each([1, 180])('accepts axis %p', (axis) => {
    expect(() => validateRefraction(refraction({ cylinder: -1, axis }), 'input')).not.toThrow();
  });

  it.each([0, 181, 45.5, NaN])('rejects axis %p', (axis) => {
    expectBadInput(() => validateRefraction(refraction({ cylinder: -1, axis }), 'input'), 'input.axis');
  });

  it('requires an axis when the cylinder is not 0', () => {
    const error = expectBadInput(() => validateRefraction(refraction({ cylinder: -0.5 }), 'input'), 'input.axis');
    expect(error.message).toMatch(/required/);
    expectBadInput(() => validateRefraction(refraction({ cylinder: 0.5, axis: null }), 'input'), 'input.axis');
  });

  it('forbids an axis without a cylinder or with a zero cylinder', () => {
    expectBadInput(() => validateRefraction(refraction({ axis: 90 }), 'input'), 'input.axis');
    expectBadInput(() => validateRefraction(refraction({ cylinder: 0, axis: 90 }), 'input'), 'input.axis');
    expect(() => validateRefraction(refraction({ cylinder: 0, axis: null }), 'input')).not.toThrow();
  });

  it.each([0.25, 4, 2.75])('accepts near add %p', (nearAdd) => {
    expect(() => validateRefraction(refraction({ nearAdd }), 'input')).not.toThrow();
  });

  it.each([0, -0.25, 4.25, 1.1, NaN])('rejects near add %p', (nearAdd) => {
    expectBadInput(() => validateRefraction(refraction({ nearAdd }), 'input'), 'input.nearAdd');
  });

  it.each([0.25, 0.5, 20])('accepts prism %p with a base', (prism) => {
    expect(() => validateRefraction(refraction({ prismHorizontal: prism, prismHorizontalBase: 'OUT' }), 'input')).not.toThrow();
    expect(() => validateRefraction(refraction({ prismVertical: prism, prismVerticalBase: 'UP' }), 'input')).not.toThrow();
  });

  it.each([0, -1, 20.25, 0.3, NaN, Infinity])('rejects prism %p', (prism) => {
    expectBadInput(() => validateRefraction(refraction({ prismHorizontal: prism, prismHorizontalBase: 'IN' }), 'input'), 'input.prismHorizontal');
    expectBadInput(() => validateRefraction(refraction({ prismVertical: prism, prismVerticalBase: 'DOWN' }), 'input'), 'input.prismVertical');
  });

  it('requires a base with a prism and forbids one without', () => {
    expectBadInput(() => validateRefraction(refraction({ prismHorizontal: 1 }), 'input'), 'input.prismHorizontalBase');
    expectBadInput(() => validateRefraction(refraction({ prismVertical: 1 }), 'input'), 'input.prismVerticalBase');
    expectBadInput(() => validateRefraction(refraction({ prismHorizontalBase: 'IN' }), 'input'), 'input.prismHorizontalBase');
    expectBadInput(() => validateRefraction(refraction({ prismVerticalBase: 'UP' }), 'input'), 'input.prismVerticalBase');
  });

  it('requires a horizontal base to be IN/OUT and a vertical one UP/DOWN', () => {
    expectBadInput(() => validateRefraction(refraction({ prismHorizontal: 1, prismHorizontalBase: 'UP' }), 'input'), 'input.prismHorizontalBase');
    expectBadInput(() => validateRefraction(refraction({ prismVertical: 1, prismVerticalBase: 'IN' }), 'input'), 'input.prismVerticalBase');
  });

  it('requires the eye to be RIGHT or LEFT', () => {
    expectBadInput(() => validateRefraction(refraction({ eye: 'BOTH' }), 'input'), 'input.eye');
  });

  it('rejects an unknown refraction type', () => {
    expectBadInput(() => validateRefraction(refraction({ type: 'GUESS' }), 'input'), 'input.type');
  });
});

// ------------------------------------------------------------------------------------------------
// Visual acuity
// ------------------------------------------------------------------------------------------------

function acuity(unit: string, value: string, overrides: Record<string, unknown> = {}): VisualAcuityInput {
  return { eye: 'BOTH', distance: 'DISTANCE', aid: 'UNAIDED', unit, value, ...overrides } as VisualAcuityInput;
}

describe('validateVisualAcuity', () => {
  it.each([
    ['SNELLEN_METRE', '6/6', '6/6', 0],
    ['SNELLEN_METRE', '6/12', '6/12', 0.3],
    ['SNELLEN_METRE', '6/60', '6/60', 1],
    ['SNELLEN_METRE', '6/7.5', '6/7.5', 0.1],
    ['SNELLEN_METRE', '6/5', '6/5', -0.08],
    ['SNELLEN_METRE', ' 6 / 9 ', '6/9', 0.18],
    ['SNELLEN_FOOT', '20/20', '20/20', 0],
    ['SNELLEN_FOOT', '20/40', '20/40', 0.3],
    ['SNELLEN_FOOT', '20/200', '20/200', 1],
    ['LOGMAR', '0.0', '0', 0],
    ['LOGMAR', '-0.3', '-0.3', -0.3],
    ['LOGMAR', '1.7', '1.7', 1.7],
    ['LOGMAR', '+0.20', '0.2', 0.2],
    ['LOGMAR', '0.125', '0.125', 0.13],
    ['DECIMAL', '0.5', '0.5', 0.3],
    ['DECIMAL', '1.0', '1', 0],
    ['DECIMAL', '2.0', '2', -0.3],
    ['DECIMAL', '0.01', '0.01', 2],
    ['ETDRS_LETTERS', '85', '85', 0],
    ['ETDRS_LETTERS', '0', '0', 1.7],
    ['ETDRS_LETTERS', '100', '100', -0.3],
    ['ETDRS_LETTERS', '70', '70', 0.3],
  ])('%s %p → %p, logMAR %p', (unit, value, normalised, logMar) => {
    const result = validateVisualAcuity(acuity(unit, value), 'input');
    expect(result).toEqual({ value: normalised, logMar });
    expect(Object.is(result.logMar, -0)).toBe(false);
  });

  it.each(['N5', 'n8', 'N 12', 'N48'])('accepts N-scale %p at near with no logMAR', (value) => {
    const result = validateVisualAcuity(acuity('N_SCALE', value, { distance: 'NEAR' }), 'input');
    expect(result.logMar).toBeNull();
    expect(result.value).toBe(value.replace(/\s/g, '').toUpperCase());
  });

  it('rejects N-scale at distance, on the unit', () => {
    expectBadInput(() => validateVisualAcuity(acuity('N_SCALE', 'N5'), 'input.visualAcuities[0]'), 'input.visualAcuities[0].unit');
  });

  it.each([['CF', 'SNELLEN_METRE'], ['hm', 'LOGMAR'], ['Pl', 'DECIMAL'], ['npl', 'ETDRS_LETTERS'], ['cf', 'SNELLEN_FOOT']])(
    'accepts non-numeric %p with any unit (%s), upper-cased, logMAR null',
    (value, unit) => {
      expect(validateVisualAcuity(acuity(unit, value), 'input')).toEqual({ value: value.toUpperCase(), logMar: null });
    },
  );

  it('accepts non-numeric results with the N-scale at near', () => {
    expect(validateVisualAcuity(acuity('N_SCALE', 'HM', { distance: 'NEAR' }), 'input')).toEqual({ value: 'HM', logMar: null });
  });

  it.each([
    ['SNELLEN_METRE', '6/0'],
    ['SNELLEN_METRE', '6/'],
    ['SNELLEN_METRE', '20/20'],
    ['SNELLEN_METRE', '6/-6'],
    ['SNELLEN_METRE', '6/abc'],
    ['SNELLEN_METRE', '6/Infinity'],
    ['SNELLEN_METRE', '6/NaN'],
    ['SNELLEN_FOOT', '6/6'],
    ['SNELLEN_FOOT', '20/0'],
    ['LOGMAR', '-0.31'],
    ['LOGMAR', '1.71'],
    ['LOGMAR', 'abc'],
    ['LOGMAR', 'NaN'],
    ['LOGMAR', 'Infinity'],
    ['DECIMAL', '0.009'],
    ['DECIMAL', '2.01'],
    ['DECIMAL', '-0.5'],
    ['DECIMAL', '1e0'],
    ['ETDRS_LETTERS', '101'],
    ['ETDRS_LETTERS', '-1'],
    ['ETDRS_LETTERS', '85.5'],
    ['N_SCALE', 'N7'],
    ['N_SCALE', 'N4'],
    ['N_SCALE', 'N60'],
    ['N_SCALE', '5'],
    ['N_SCALE', 'N5.5'],
    ['SNELLEN_METRE', ''],
    ['SNELLEN_METRE', '   '],
    ['LOGMAR', 'LP'],
  ])('rejects %s %p on the value', (unit, value) => {
    expectBadInput(
      () => validateVisualAcuity(acuity(unit, value, { distance: 'NEAR' }), 'input.visualAcuities[3]'),
      'input.visualAcuities[3].value',
    );
  });

  it('rejects unknown enum values', () => {
    expectBadInput(() => validateVisualAcuity(acuity('JAEGER', 'J1'), 'input'), 'input.unit');
    expectBadInput(() => validateVisualAcuity(acuity('LOGMAR', '0', { eye: 'THIRD' }), 'input'), 'input.eye');
    expectBadInput(() => validateVisualAcuity(acuity('LOGMAR', '0', { distance: 'FAR' }), 'input'), 'input.distance');
    expectBadInput(() => validateVisualAcuity(acuity('LOGMAR', '0', { aid: 'MONOCLE' }), 'input'), 'input.aid');
  });
});

// ------------------------------------------------------------------------------------------------
// Intraocular pressure
// ------------------------------------------------------------------------------------------------

function pressure(overrides: Record<string, unknown> = {}): IntraocularPressureInput {
  return { eye: 'LEFT', mmHg: 16, instrument: 'GOLDMANN', ...overrides } as IntraocularPressureInput;
}

describe('validateIntraocularPressure', () => {
  it.each([0, 80, 21])('accepts %p mmHg', (mmHg) => {
    expect(() => validateIntraocularPressure(pressure({ mmHg }), 'input', NOW)).not.toThrow();
  });

  it.each([-1, 81, 15.5, NaN, Infinity])('rejects %p mmHg', (mmHg) => {
    expectBadInput(() => validateIntraocularPressure(pressure({ mmHg }), 'input.intraocularPressures[1]', NOW), 'input.intraocularPressures[1].mmHg');
  });

  it('requires the eye to be RIGHT or LEFT', () => {
    expectBadInput(() => validateIntraocularPressure(pressure({ eye: 'BOTH' }), 'input', NOW), 'input.eye');
  });

  it('rejects an unknown instrument', () => {
    expectBadInput(() => validateIntraocularPressure(pressure({ instrument: 'FINGER' }), 'input', NOW), 'input.instrument');
  });

  it('accepts measuredAt up to 5 minutes in the future, and none', () => {
    const inSkew = new Date(NOW.getTime() + 5 * 60 * 1000);
    expect(() => validateIntraocularPressure(pressure({ measuredAt: inSkew }), 'input', NOW)).not.toThrow();
    expect(() => validateIntraocularPressure(pressure({ measuredAt: null }), 'input', NOW)).not.toThrow();
    expect(() => validateIntraocularPressure(pressure({ measuredAt: new Date('2020-01-01T00:00:00Z') }), 'input', NOW)).not.toThrow();
  });

  it('rejects measuredAt beyond 5 minutes in the future, or invalid', () => {
    const beyondSkew = new Date(NOW.getTime() + 5 * 60 * 1000 + 1);
    expectBadInput(() => validateIntraocularPressure(pressure({ measuredAt: beyondSkew }), 'input', NOW), 'input.measuredAt');
    expectBadInput(() => validateIntraocularPressure(pressure({ measuredAt: new Date('nonsense') }), 'input', NOW), 'input.measuredAt');
  });
});

// ------------------------------------------------------------------------------------------------
// Examination
// ------------------------------------------------------------------------------------------------

function examination(overrides: Record<string, unknown> = {}): CreateExaminationInput {
  return { customerId: '1', storeId: '2', ...overrides } as CreateExaminationInput;
}

describe('validateExaminationInput', () => {
  it('accepts an empty examination and returns no acuities', () => {
    expect(validateExaminationInput(examination(), 'input', NOW)).toEqual({ visualAcuities: [] });
    expect(validateExaminationInput({} as UpdateExaminationInput, 'input', NOW)).toEqual({ visualAcuities: [] });
  });

  it('returns the normalised acuities in input order', () => {
    const result = validateExaminationInput(examination({
      examinedAt: NOW,
      refractions: [refraction(), refraction({ eye: 'LEFT', cylinder: -1, axis: 10 })],
      visualAcuities: [acuity('SNELLEN_METRE', '6/12'), acuity('ETDRS_LETTERS', '85'), acuity('LOGMAR', 'cf')],
      intraocularPressures: [pressure(), pressure({ eye: 'RIGHT' })],
    }), 'input', NOW);
    expect(result.visualAcuities).toEqual([
      { value: '6/12', logMar: 0.3 },
      { value: '85', logMar: 0 },
      { value: 'CF', logMar: null },
    ]);
  });

  it('names the list index of a bad item', () => {
    expectBadInput(() => validateExaminationInput(examination({ refractions: [refraction(), refraction({ sphere: 0.1 })] }), 'input', NOW),
      'input.refractions[1].sphere');
    expectBadInput(() => validateExaminationInput(examination({ refractions: [refraction({ cylinder: -1 })] }), 'input', NOW),
      'input.refractions[0].axis');
    expectBadInput(() => validateExaminationInput(examination({ visualAcuities: [acuity('LOGMAR', '0'), acuity('LOGMAR', '2')] }), 'input', NOW),
      'input.visualAcuities[1].value');
    expectBadInput(() => validateExaminationInput({ intraocularPressures: [pressure({ mmHg: 90 })] } as UpdateExaminationInput, 'input', NOW),
      'input.intraocularPressures[0].mmHg');
  });

  it('allows 40 items per list and rejects 41', () => {
    const forty = (n: number): RefractionInput[] => Array.from({ length: n }, () => refraction());
    expect(() => validateExaminationInput(examination({ refractions: forty(40) }), 'input', NOW)).not.toThrow();
    expectBadInput(() => validateExaminationInput(examination({ refractions: forty(41) }), 'input', NOW), 'input.refractions');
    const acuities = (n: number): VisualAcuityInput[] => Array.from({ length: n }, () => acuity('LOGMAR', '0'));
    expect(validateExaminationInput(examination({ visualAcuities: acuities(40) }), 'input', NOW).visualAcuities).toHaveLength(40);
    expectBadInput(() => validateExaminationInput(examination({ visualAcuities: acuities(41) }), 'input', NOW), 'input.visualAcuities');
    const pressures = (n: number): IntraocularPressureInput[] => Array.from({ length: n }, () => pressure());
    expect(() => validateExaminationInput(examination({ intraocularPressures: pressures(40) }), 'input', NOW)).not.toThrow();
    expectBadInput(() => validateExaminationInput(examination({ intraocularPressures: pressures(41) }), 'input', NOW), 'input.intraocularPressures');
  });

  it('accepts examinedAt up to 5 minutes ahead and from 1900', () => {
    expect(() => validateExaminationInput(examination({ examinedAt: new Date(NOW.getTime() + 300_000) }), 'input', NOW)).not.toThrow();
    expect(() => validateExaminationInput(examination({ examinedAt: new Date('1900-01-01T00:00:00Z') }), 'input', NOW)).not.toThrow();
  });

  it('rejects examinedAt in the future, before 1900 or invalid', () => {
    expectBadInput(() => validateExaminationInput(examination({ examinedAt: new Date(NOW.getTime() + 300_001) }), 'input', NOW), 'input.examinedAt');
    expectBadInput(() => validateExaminationInput(examination({ examinedAt: new Date('1899-12-31T23:59:59Z') }), 'input', NOW), 'input.examinedAt');
    expectBadInput(() => validateExaminationInput({ examinedAt: new Date(NaN) } as UpdateExaminationInput, 'input', NOW), 'input.examinedAt');
  });

  it('limits reasonForVisit and history to 10000 characters', () => {
    const ok = 'x'.repeat(10000);
    const tooLong = 'x'.repeat(10001);
    expect(() => validateExaminationInput(examination({ reasonForVisit: ok, history: ok }), 'input', NOW)).not.toThrow();
    expectBadInput(() => validateExaminationInput(examination({ reasonForVisit: tooLong }), 'input', NOW), 'input.reasonForVisit');
    expectBadInput(() => validateExaminationInput({ history: tooLong } as UpdateExaminationInput, 'input', NOW), 'input.history');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(() => validateExaminationInput(examination({ history: '👁'.repeat(10000) }), 'input', NOW)).not.toThrow();
  });
});

// ------------------------------------------------------------------------------------------------
// Spectacle prescription
// ------------------------------------------------------------------------------------------------

function spectacles(overrides: Record<string, unknown> = {}): IssueSpectaclePrescriptionInput {
  return {
    customerId: '1', storeId: '2', outcome: 'NEW_RX', rightSphere: -1, leftSphere: -1.25, ...overrides,
  } as IssueSpectaclePrescriptionInput;
}

describe('validateSpectaclePrescription', () => {
  it('accepts a full prescription', () => {
    expect(() => validateSpectaclePrescription(spectacles({
      issuedOn: TODAY, notes: 'n'.repeat(2000),
      rightSphere: 30, rightCylinder: -10, rightAxis: 1, rightNearAdd: 4, rightPrismHorizontal: 20, rightPrismHorizontalBase: 'IN',
      rightPrismVertical: 0.25, rightPrismVerticalBase: 'UP',
      leftSphere: -30, leftCylinder: 10, leftAxis: 180, leftNearAdd: 0.25, leftPrismHorizontal: 0.5, leftPrismHorizontalBase: 'OUT',
      leftPrismVertical: 1, leftPrismVerticalBase: 'DOWN',
    }), 'input', TODAY)).not.toThrow();
  });

  it.each(['NEW_RX', 'NO_CHANGE'])('requires both spheres for %s', (outcome) => {
    expectBadInput(() => validateSpectaclePrescription(spectacles({ outcome, rightSphere: null }), 'input', TODAY), 'input.rightSphere');
    expectBadInput(() => validateSpectaclePrescription(spectacles({ outcome, leftSphere: undefined }), 'input', TODAY), 'input.leftSphere');
  });

  it.each(['NO_RX_NEEDED', 'REFERRED'])('does not require spheres for %s', (outcome) => {
    expect(() => validateSpectaclePrescription(spectacles({ outcome, rightSphere: null, leftSphere: null }), 'input', TODAY)).not.toThrow();
  });

  it('requires the sphere of an eye that has other values', () => {
    expectBadInput(() => validateSpectaclePrescription(spectacles({ outcome: 'REFERRED', leftSphere: null, leftNearAdd: 1 }), 'input', TODAY),
      'input.leftSphere');
  });

  it('rejects an unknown outcome', () => {
    expectBadInput(() => validateSpectaclePrescription(spectacles({ outcome: 'MAYBE' }), 'input', TODAY), 'input.outcome');
  });

  it.each([
    [{ rightSphere: 30.25 }, 'input.rightSphere'],
    [{ leftSphere: -30.25 }, 'input.leftSphere'],
    [{ rightSphere: NaN }, 'input.rightSphere'],
    [{ leftSphere: 0.1 }, 'input.leftSphere'],
    [{ rightCylinder: -10.25, rightAxis: 90 }, 'input.rightCylinder'],
    [{ leftCylinder: 0.2, leftAxis: 90 }, 'input.leftCylinder'],
    [{ rightCylinder: -1 }, 'input.rightAxis'],
    [{ leftCylinder: -1, leftAxis: 181 }, 'input.leftAxis'],
    [{ rightAxis: 90 }, 'input.rightAxis'],
    [{ leftCylinder: 0, leftAxis: 90 }, 'input.leftAxis'],
    [{ rightNearAdd: 4.25 }, 'input.rightNearAdd'],
    [{ leftNearAdd: 0 }, 'input.leftNearAdd'],
    [{ rightPrismHorizontal: 20.25, rightPrismHorizontalBase: 'IN' }, 'input.rightPrismHorizontal'],
    [{ leftPrismHorizontal: 1 }, 'input.leftPrismHorizontalBase'],
    [{ rightPrismVerticalBase: 'UP' }, 'input.rightPrismVerticalBase'],
    [{ leftPrismVertical: 0, leftPrismVerticalBase: 'DOWN' }, 'input.leftPrismVertical'],
    [{ rightPrismVertical: 1, rightPrismVerticalBase: 'OUT' }, 'input.rightPrismVerticalBase'],
  ])('rejects %p on %s', (overrides, field) => {
    expectBadInput(() => validateSpectaclePrescription(spectacles(overrides), 'input', TODAY), field);
  });

  it('accepts issuedOn today or earlier, rejects tomorrow and malformed dates', () => {
    expect(() => validateSpectaclePrescription(spectacles({ issuedOn: '2025-06-14' }), 'input', TODAY)).not.toThrow();
    expect(() => validateSpectaclePrescription(spectacles({ issuedOn: null }), 'input', TODAY)).not.toThrow();
    expectBadInput(() => validateSpectaclePrescription(spectacles({ issuedOn: '2025-06-16' }), 'input', TODAY), 'input.issuedOn');
    expectBadInput(() => validateSpectaclePrescription(spectacles({ issuedOn: '2025-02-30' }), 'input', TODAY), 'input.issuedOn');
    expectBadInput(() => validateSpectaclePrescription(spectacles({ issuedOn: '15/06/2025' }), 'input', TODAY), 'input.issuedOn');
  });

  it('limits notes to 2000 characters', () => {
    expectBadInput(() => validateSpectaclePrescription(spectacles({ notes: 'n'.repeat(2001) }), 'input', TODAY), 'input.notes');
  });
});

// ------------------------------------------------------------------------------------------------
// Contact lens specification
// ------------------------------------------------------------------------------------------------

const ADULT_DOB = '1980-03-10';

function lenses(overrides: Record<string, unknown> = {}): IssueContactLensSpecificationInput {
  return {
    customerId: '1', storeId: '2', expiresOn: '2026-06-15', rightPower: -2.5, leftPower: -2.75, ...overrides,
  } as IssueContactLensSpecificationInput;
}

describe('validateContactLensSpecification', () => {
  it('accepts a full toric/multifocal specification at the boundaries', () => {
    expect(validateContactLensSpecification(lenses({
      issuedOn: '2025-06-01', expiresOn: '2030-06-01', replacement: 'MONTHLY',
      rightBrand: 'b'.repeat(100), rightDesign: 'Toric', rightMaterial: 'Silicone hydrogel', rightBaseCurve: 6,
      rightDiameter: 8, rightPower: 30, rightCylinder: -10, rightAxis: 180,
      leftBrand: 'Brand', leftBaseCurve: 10.5, leftDiameter: 16, leftPower: -30, leftNearAdd: 4, leftCylinder: 0,
    }), 'input', TODAY, ADULT_DOB)).toEqual({ issuedOn: '2025-06-01', patientDateOfBirth: null });
  });

  it('defaults issuedOn to today', () => {
    expect(validateContactLensSpecification(lenses(), 'input', TODAY, ADULT_DOB)).toEqual({ issuedOn: TODAY, patientDateOfBirth: null });
  });

  it.each([8.6, 8.65, 9.05])('accepts base curve %p at 0.01 mm resolution', (rightBaseCurve) => {
    expect(() => validateContactLensSpecification(lenses({ rightBaseCurve }), 'input', TODAY, ADULT_DOB)).not.toThrow();
  });

  it('needs a power for at least one eye', () => {
    expect(() => validateContactLensSpecification(lenses({ rightPower: null }), 'input', TODAY, ADULT_DOB)).not.toThrow();
    expect(() => validateContactLensSpecification(lenses({ leftPower: null }), 'input', TODAY, ADULT_DOB)).not.toThrow();
    expect(() => validateContactLensSpecification(lenses({ rightPower: 0, leftPower: null }), 'input', TODAY, ADULT_DOB)).not.toThrow();
    const error = expectBadInput(
      () => validateContactLensSpecification(lenses({ rightPower: null, leftPower: undefined }), 'input', TODAY, ADULT_DOB),
      'input.rightPower',
    );
    expect(error.message).toMatch(/at least one eye/);
  });

  it('needs a power for an eye with other lens details', () => {
    expectBadInput(() => validateContactLensSpecification(lenses({ leftPower: null, leftBrand: 'Acme' }), 'input', TODAY, ADULT_DOB),
      'input.leftPower');
    expect(() => validateContactLensSpecification(lenses({ leftPower: null, leftBrand: '  ' }), 'input', TODAY, ADULT_DOB)).not.toThrow();
  });

  it.each([
    [{ rightBrand: 'b'.repeat(101) }, 'input.rightBrand'],
    [{ leftDesign: 'd'.repeat(101) }, 'input.leftDesign'],
    [{ rightMaterial: 'm'.repeat(101) }, 'input.rightMaterial'],
    [{ rightBaseCurve: 5.99 }, 'input.rightBaseCurve'],
    [{ leftBaseCurve: 10.51 }, 'input.leftBaseCurve'],
    [{ rightBaseCurve: 8.605 }, 'input.rightBaseCurve'],
    [{ rightBaseCurve: NaN }, 'input.rightBaseCurve'],
    [{ rightDiameter: 7.99 }, 'input.rightDiameter'],
    [{ leftDiameter: 16.01 }, 'input.leftDiameter'],
    [{ rightPower: 30.25 }, 'input.rightPower'],
    [{ leftPower: -30.25 }, 'input.leftPower'],
    [{ rightPower: -2.1 }, 'input.rightPower'],
    [{ leftPower: Infinity }, 'input.leftPower'],
    [{ rightCylinder: -10.25, rightAxis: 10 }, 'input.rightCylinder'],
    [{ leftCylinder: -0.75 }, 'input.leftAxis'],
    [{ rightCylinder: -0.75, rightAxis: 0 }, 'input.rightAxis'],
    [{ leftAxis: 20 }, 'input.leftAxis'],
    [{ rightNearAdd: 4.25 }, 'input.rightNearAdd'],
    [{ leftNearAdd: 0 }, 'input.leftNearAdd'],
    [{ replacement: 'HOURLY' }, 'input.replacement'],
  ])('rejects %p on %s', (overrides, field) => {
    expectBadInput(() => validateContactLensSpecification(lenses(overrides), 'input', TODAY, ADULT_DOB), field);
  });

  it('rejects issuedOn in the future or malformed', () => {
    expectBadInput(() => validateContactLensSpecification(lenses({ issuedOn: '2025-06-16', expiresOn: '2026-01-01' }), 'input', TODAY, ADULT_DOB),
      'input.issuedOn');
    expectBadInput(() => validateContactLensSpecification(lenses({ issuedOn: '2025-13-01' }), 'input', TODAY, ADULT_DOB), 'input.issuedOn');
  });

  it('needs expiresOn after issuedOn and at most 5 years later', () => {
    const check = (issuedOn: string | null, expiresOn: string) => () =>
      validateContactLensSpecification(lenses({ issuedOn, expiresOn }), 'input', TODAY, ADULT_DOB);
    expect(check('2025-01-10', '2025-01-11')).not.toThrow();
    expect(check('2025-01-10', '2030-01-10')).not.toThrow();
    expect(check(null, '2030-06-15')).not.toThrow();
    expectBadInput(check('2025-01-10', '2025-01-10'), 'input.expiresOn');
    expectBadInput(check('2025-01-10', '2025-01-09'), 'input.expiresOn');
    expectBadInput(check('2025-01-10', '2030-01-11'), 'input.expiresOn');
    expectBadInput(check(null, '2030-06-16'), 'input.expiresOn');
    expectBadInput(check(null, 'next year'), 'input.expiresOn');
  });

  it('takes 5 years from 29 February to 28 February', () => {
    const check = (expiresOn: string) => () =>
      validateContactLensSpecification(lenses({ issuedOn: '2024-02-29', expiresOn }), 'input', TODAY, ADULT_DOB);
    expect(check('2029-02-28')).not.toThrow();
    expectBadInput(check('2029-03-01'), 'input.expiresOn');
  });

  it('carries the date of birth for a patient under 16 on the issue date', () => {
    const issue = (issuedOn: string | null, dateOfBirth: string | null) =>
      validateContactLensSpecification(lenses({ issuedOn, expiresOn: '2026-06-01' }), 'input', TODAY, dateOfBirth).patientDateOfBirth;
    expect(issue('2025-06-14', '2009-06-15')).toBe('2009-06-15'); // the day before the 16th birthday
    expect(issue('2025-06-15', '2009-06-15')).toBeNull(); // the 16th birthday
    expect(issue(null, '2009-06-16')).toBe('2009-06-16'); // defaulted issue date: still 15
    expect(issue(null, '2015-01-01')).toBe('2015-01-01');
    expect(issue(null, ADULT_DOB)).toBeNull();
    expect(issue(null, null)).toBeNull();
  });

  it('refuses an issue date before the date of birth (input.issuedOn), without stating it', () => {
    const error = expectBadInput(() => validateContactLensSpecification(lenses({ issuedOn: '2015-05-31', expiresOn: '2016-01-01' }), 'input', TODAY, '2015-06-01'),
      'input.issuedOn');
    expect(error.message).not.toContain('2015-06-01');
    expect(validateContactLensSpecification(lenses({ issuedOn: '2015-06-01', expiresOn: '2016-01-01' }), 'input', TODAY, '2015-06-01'))
      .toEqual({ issuedOn: '2015-06-01', patientDateOfBirth: '2015-06-01' });
  });

  it('in two steps: the input alone (no date of birth), then against the date of birth', () => {
    expect(checkContactLensSpecification(lenses({ issuedOn: '2015-05-31', expiresOn: '2016-01-01' }), 'input', TODAY)).toEqual({ issuedOn: '2015-05-31' });
    expectBadInput(() => checkContactLensSpecification(lenses({ expiresOn: '2025-01-01' }), 'input', TODAY), 'input.expiresOn');
    expectBadInput(() => contactLensPatientDateOfBirth('2015-05-31', 'input', '2015-06-01'), 'input.issuedOn');
    expect(contactLensPatientDateOfBirth('2025-06-15', 'input', '2015-06-01')).toBe('2015-06-01');
    expect(contactLensPatientDateOfBirth('2025-06-15', 'input', ADULT_DOB)).toBeNull();
  });
});

describe('clinical dates against the date of birth', () => {
  it('only a date or instant before today could be before a date of birth', () => {
    expect(couldPrecedeBirth(TODAY, TODAY)).toBe(false);
    expect(couldPrecedeBirth('2025-06-16', TODAY)).toBe(false);
    expect(couldPrecedeBirth('2025-06-14', TODAY)).toBe(true);
    expect(couldPrecedeBirth(NOW, TODAY)).toBe(false);
    // 10:00 UTC the day before is already today at UTC+14: no date of birth can be after it.
    expect(couldPrecedeBirth(new Date('2025-06-14T10:00:00Z'), TODAY)).toBe(false);
    expect(couldPrecedeBirth(new Date('2025-06-14T09:59:59Z'), TODAY)).toBe(true);
  });

  it('refuses dates before the date of birth, and instants before it began anywhere (UTC+14)', () => {
    expect(() => checkNotBeforeBirth('2015-06-01', 'input.issuedOn', '2015-06-01')).not.toThrow();
    expectBadInput(() => checkNotBeforeBirth('2015-05-31', 'input.issuedOn', '2015-06-01'), 'input.issuedOn');
    expect(() => checkNotBeforeBirth(new Date('2015-05-31T10:00:00Z'), 'input.examinedAt', '2015-06-01')).not.toThrow();
    const error = expectBadInput(() => checkNotBeforeBirth(new Date('2015-05-31T09:59:00Z'), 'input.examinedAt', '2015-06-01'), 'input.examinedAt');
    expect(error.message).toBe("input.examinedAt: must not be before the patient's date of birth");
  });
});

// ------------------------------------------------------------------------------------------------
// Clinical note
// ------------------------------------------------------------------------------------------------

function note(overrides: Record<string, unknown> = {}): AddClinicalNoteInput {
  return { customerId: '1', storeId: '2', ...overrides } as AddClinicalNoteInput;
}

describe('validateClinicalNote', () => {
  it.each(['subjective', 'objective', 'assessment', 'plan'])('accepts a note with only %s', (part) => {
    expect(() => validateClinicalNote(note({ [part]: 'Something' }), 'input')).not.toThrow();
  });

  it('needs at least one non-blank part, reported on subjective', () => {
    const error = expectBadInput(() => validateClinicalNote(note(), 'input'), 'input.subjective');
    expect(error.message).toMatch(/at least one/);
    expectBadInput(() => validateClinicalNote(note({ subjective: '  ', objective: '', assessment: null, plan: '\n' }), 'input'), 'input.subjective');
  });

  it('limits each part to 10000 characters', () => {
    const ok = 'x'.repeat(10000);
    expect(() => validateClinicalNote(note({ subjective: ok, objective: ok, assessment: ok, plan: ok }), 'input')).not.toThrow();
    for (const part of ['subjective', 'objective', 'assessment', 'plan']) {
      expectBadInput(() => validateClinicalNote(note({ plan: 'p', [part]: 'x'.repeat(10001) }), 'input'), `input.${part}`);
    }
  });
});
