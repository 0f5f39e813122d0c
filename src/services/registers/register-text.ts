/**
 * The checks every DPO register input shares: free text (trimmed, 1 to `max` characters, no control characters or
 * text-direction overrides, no lone surrogates), lists of short texts, and instants that are not in the future.
 * Each refusal is BAD_USER_INPUT naming the field (`input.description`, `input.dataCategories[2]`).
 */
import { badInput } from '../../errors/errors';
import { unsafeTextProblem } from '../../audit/audit-text';

const LONE_SURROGATE = /\p{Cs}/u;

/** The text trimmed; BAD_USER_INPUT unless it has 1 to `max` characters (code points) and is safe to show. */
export function cleanText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw badInput(field, 'must be text');
  const trimmed = value.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > max) throw badInput(field, `must be 1 to ${max} characters`);
  const unsafe = unsafeTextProblem(trimmed) ?? (LONE_SURROGATE.test(trimmed) ? 'must be valid Unicode text' : null);
  if (unsafe) throw badInput(field, unsafe);
  return trimmed;
}

/** Optional text: null clears it (undefined stays undefined); otherwise as `cleanText`. */
export function optionalText(value: unknown, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return cleanText(value, field, max);
}

/** A list of 1 (or `min`) to `maxItems` distinct texts of at most `maxLength` characters each. */
export function cleanTextList(value: unknown, field: string, limits: { min: number; maxItems: number; maxLength: number }): string[] {
  if (!Array.isArray(value)) throw badInput(field, 'must be a list');
  if (value.length < limits.min || value.length > limits.maxItems) throw badInput(field, `must have ${limits.min} to ${limits.maxItems} items`);
  const items = value.map((item, i) => cleanText(item, `${field}[${i}]`, limits.maxLength));
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = item.toLowerCase();
    if (seen.has(key)) throw badInput(`${field}[${i}]`, 'is listed twice');
    seen.add(key);
  });
  return items;
}

/** An instant that has happened (at most a minute of clock skew ahead of `now`). */
export function pastInstant(value: unknown, field: string, now: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, 'must be a date and time');
  if (value.getTime() > now.getTime() + 60_000) throw badInput(field, 'must not be in the future');
  if (value.getUTCFullYear() < 2000) throw badInput(field, 'must be in the year 2000 or later');
  return value;
}

/** A whole number within [min, max]. */
export function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw badInput(field, `must be a whole number from ${min} to ${max}`);
  return value;
}
