/**
 * Validation of customer input: names, date of birth, contact details. Each problem is a
 * BAD_USER_INPUT naming the field; values are trimmed, and blank optional values become null.
 */
import { badInput } from '../errors/errors';
import { Sex } from '../schema/enums';
import { CreateCustomerInput, UpdateCustomerInput } from '../schema/inputs/customer.inputs';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

function requiredText(path: string, value: string | null | undefined, max: number): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw badInput(path, 'is required');
  if (trimmed.length > max) throw badInput(path, `must be at most ${max} characters`);
  return trimmed;
}

function optionalText(path: string, value: string | null | undefined, max: number, pattern?: RegExp, what?: string): string | null {
  const trimmed = (value ?? '').trim();
  if (!trimmed) return null;
  if (trimmed.length > max) throw badInput(path, `must be at most ${max} characters`);
  if (pattern && !pattern.test(trimmed)) throw badInput(path, `must be ${what}`);
  return trimmed;
}

export function validDateOfBirth(path: string, value: string, today: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw badInput(path, 'must be a date (YYYY-MM-DD)');
  if (value > today) throw badInput(path, 'must not be in the future');
  if (value < '1900-01-01') throw badInput(path, 'must be after 1900');
  return value;
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

type CustomerFields = Omit<CreateCustomerInput, 'homeStoreId' | 'sex'> & { sex?: Sex; dataVerifiedAt?: Date | null };

/** Returns the normalised values of the fields the input sets. */
export function validateCustomerFields(input: CreateCustomerInput | UpdateCustomerInput, path: string, creating: boolean): Partial<CustomerFields> {
  const out: Partial<CustomerFields> = {};
  const has = (name: 'firstName' | 'lastName' | 'dateOfBirth') => creating || input[name] !== undefined;
  if (has('firstName')) out.firstName = requiredText(`${path}.firstName`, input.firstName, 100);
  if (has('lastName')) out.lastName = requiredText(`${path}.lastName`, input.lastName, 100);
  if (has('dateOfBirth')) {
    if (!input.dateOfBirth) throw badInput(`${path}.dateOfBirth`, 'is required');
    out.dateOfBirth = validDateOfBirth(`${path}.dateOfBirth`, input.dateOfBirth, todayUtc());
  }
  if (input.sex !== undefined) out.sex = input.sex ?? Sex.UNKNOWN;
  if (input.addressLine1 !== undefined) out.addressLine1 = optionalText(`${path}.addressLine1`, input.addressLine1, 200);
  if (input.addressLine2 !== undefined) out.addressLine2 = optionalText(`${path}.addressLine2`, input.addressLine2, 200);
  if (input.city !== undefined) out.city = optionalText(`${path}.city`, input.city, 100);
  if (input.postcode !== undefined) out.postcode = optionalText(`${path}.postcode`, input.postcode, 12);
  if (input.country !== undefined) out.country = optionalText(`${path}.country`, input.country, 56);
  if (input.phone !== undefined) out.phone = optionalText(`${path}.phone`, input.phone, 20, PHONE, 'a phone number');
  if (input.email !== undefined) out.email = optionalText(`${path}.email`, input.email, 320, EMAIL, 'an email address')?.toLowerCase() ?? null;
  if ('dataVerifiedAt' in input && input.dataVerifiedAt !== undefined) {
    if (input.dataVerifiedAt && input.dataVerifiedAt.getTime() > Date.now() + 300_000) throw badInput(`${path}.dataVerifiedAt`, 'must not be in the future');
    out.dataVerifiedAt = input.dataVerifiedAt;
  }
  return out;
}
