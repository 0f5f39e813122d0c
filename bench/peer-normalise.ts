/**
 * The same-data check of `npm run bench:peers` (bench/peers.ts): each arm's answer as one normalised page, so
 * the raw floor, PostGraphile and Visus can be compared although their responses differ in form. Pure
 * functions, unit-tested in test/unit/bench/peer-normalise.test.ts.
 *
 * A normalised page is its customers sorted by id, each with the given scalar fields and its appointments
 * sorted by id. Values: an ISO timestamp in any offset or precision becomes `Date#toISOString()` (UTC,
 * milliseconds), so PostgreSQL's `+00:00` (PostGraphile) and JavaScript's `Z` (Visus, raw floor) agree;
 * `undefined` becomes `null`; everything else is kept as it is (enum names are the database's in all three).
 */

/** One customer of a page, as the arms return it: scalar fields and a list of appointments. */
export type Row = Record<string, unknown>;

export interface NormalisedCustomer {
  fields: Record<string, unknown>;
  appointments: Record<string, unknown>[];
}

/** An ISO 8601 date-time with a time zone (Z or an offset): what the arms send for a timestamptz. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** One value in its comparable form (see the header). */
export function normaliseValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return value;
}

function pick(row: Row, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, normaliseValue(row[field])]));
}

const byId = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a.id).localeCompare(String(b.id));

/**
 * The page in comparable form: `customers`' `customerFields` and, from each customer's `appointmentsKey` list
 * (null or missing: none), the `appointmentFields`, both sorted by id.
 */
export function normalisePage(
  customers: readonly Row[],
  customerFields: readonly string[],
  appointmentsKey: string,
  appointmentFields: readonly string[],
): NormalisedCustomer[] {
  return customers
    .map((customer) => ({
      fields: pick(customer, customerFields),
      appointments: ((customer[appointmentsKey] as Row[] | null | undefined) ?? []).map((a) => pick(a, appointmentFields)).sort(byId),
    }))
    .sort((a, b) => byId(a.fields, b.fields));
}

/** The first difference between two normalised pages, in words; null when they are the same. */
export function firstDifference(expected: readonly NormalisedCustomer[], actual: readonly NormalisedCustomer[]): string | null {
  if (expected.length !== actual.length) return `${actual.length} customers instead of ${expected.length}`;
  for (let i = 0; i < expected.length; i += 1) {
    const e = expected[i];
    const a = actual[i];
    if (e.fields.id !== a.fields.id) return `customer #${i + 1} is ${String(a.fields.id)} instead of ${String(e.fields.id)}`;
    for (const [field, value] of Object.entries(e.fields)) {
      if (a.fields[field] !== value) return `customer ${String(e.fields.id)}: ${field} is ${JSON.stringify(a.fields[field])} instead of ${JSON.stringify(value)}`;
    }
    if (e.appointments.length !== a.appointments.length) {
      return `customer ${String(e.fields.id)}: ${a.appointments.length} appointments instead of ${e.appointments.length}`;
    }
    for (let j = 0; j < e.appointments.length; j += 1) {
      for (const [field, value] of Object.entries(e.appointments[j])) {
        const got = a.appointments[j][field];
        if (got !== value) return `customer ${String(e.fields.id)}, appointment ${String(e.appointments[j].id)}: ${field} is ${JSON.stringify(got)} instead of ${JSON.stringify(value)}`;
      }
    }
  }
  return null;
}
