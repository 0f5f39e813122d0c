/**
 * The dioptric values of one eye (sphere, cylinder, axis, near add, prisms) shared by refractions,
 * spectacle prescriptions and contact lens specifications: their ranges, the axis and prism
 * consistency rules, and the naming of their fields in nested and right/left-prefixed inputs.
 */
import { badInput } from '../errors/errors';
import { PrismBaseHorizontal, PrismBaseVertical } from '../schema/enums';
import { checkEnum, checkIntegerRange, checkSteppedRange, isGiven, type SteppedRange } from './field-checks';

/** The dioptric values of one eye, whichever input they come from. */
export interface EyePowers {
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
export type FieldNamer<Name extends string = keyof EyePowers> = (name: Name) => string;

/** The eye whose values a right/left-prefixed input field holds. */
export type Side = 'right' | 'left';

const SPHERE: SteppedRange = { min: -30, max: 30, step: 0.25, signed: true, unit: 'D' };
const CYLINDER: SteppedRange = { min: -10, max: 10, step: 0.25, signed: true, unit: 'D' };
const NEAR_ADD: SteppedRange = { min: 0.25, max: 4, step: 0.25, signed: true, unit: 'D' };
const PRISM: SteppedRange = { min: 0.25, max: 20, step: 0.25, signed: false, unit: 'prism dioptres' };

const AXIS_MIN = 1;
const AXIS_MAX = 180;

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Names the values of an input that holds one eye's values directly (e.g. "input.cylinder"). */
export function nestedFieldNamer(path: string): FieldNamer {
  return (name) => `${path}.${name}`;
}

/** Names the values of an input that holds both eyes' values side-prefixed (e.g. "input.rightCylinder"). */
export function sideFieldNamer<Name extends string = keyof EyePowers>(path: string, side: Side): FieldNamer<Name> {
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

/** Checks whichever of one eye's values are given; does not require any of them. */
export function checkEyePowers(powers: EyePowers, field: FieldNamer): void {
  if (isGiven(powers.sphere)) checkSteppedRange(powers.sphere, field('sphere'), SPHERE);
  if (isGiven(powers.cylinder)) checkSteppedRange(powers.cylinder, field('cylinder'), CYLINDER);
  checkAxis(powers.axis, powers.cylinder, field('axis'));
  if (isGiven(powers.nearAdd)) checkSteppedRange(powers.nearAdd, field('nearAdd'), NEAR_ADD);
  checkPrism(powers.prismHorizontal, powers.prismHorizontalBase, PrismBaseHorizontal, field('prismHorizontal'), field('prismHorizontalBase'));
  checkPrism(powers.prismVertical, powers.prismVerticalBase, PrismBaseVertical, field('prismVertical'), field('prismVerticalBase'));
}
