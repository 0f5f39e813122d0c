/**
 * The DateTimeISO scalar (src/schema/date-time-iso.ts) serialises exactly as graphql-scalars' own: the same string
 * for every Date and for every string, canonical or not, valid or not, and the same error where graphql-scalars
 * refuses. Its shortcut (a canonical ISO instant returned as it is) is checked against graphql-scalars' answer.
 */
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { DateTimeISO, isCanonicalIsoInstant } from '../../../src/schema/date-time-iso';

import { outcome } from './serialize-outcome';

describe('DateTimeISO scalar', () => {
  const strings = [
    '2026-03-01T09:30:00.000Z', '2026-03-01T09:30:00.123Z', '2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z',
    // Not canonical or not a real instant: graphql-scalars decides.
    '2023-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-13-01T00:00:00.000Z',
    '2026-03-01T24:00:00.000Z', '2026-03-01T09:60:00.000Z', '2026-03-01T09:30:60.000Z', '2026-03-01T09:30:00Z',
    '2026-03-01T09:30:00.1234Z', '2026-03-01T09:30:00.000+01:00', '2026-03-01 09:30:00.000Z', '2026-03-01T09:30:00.000z',
    '+010000-01-01T00:00:00.000Z', '2026-03-01', 'not a date', '',
  ];

  it('gives graphql-scalars’ answer for every string', () => {
    for (const text of strings) {
      expect({ text, got: outcome(() => DateTimeISO.serialize(text)) }).toEqual({ text, got: outcome(() => GraphQLDateTimeISO.serialize(text)) });
    }
  });

  it('gives graphql-scalars’ answer for Dates, numbers and other values', () => {
    const values: unknown[] = [new Date(Date.UTC(2026, 2, 1, 9, 30, 0, 123)), new Date(-62198755200000), new Date(253402300800000),
      new Date(Number.NaN), 0, 1_700_000_000_000, null, undefined, true, {}];
    for (const value of values) {
      expect(outcome(() => DateTimeISO.serialize(value))).toEqual(outcome(() => GraphQLDateTimeISO.serialize(value)));
    }
  });

  it('gives graphql-scalars’ answer over days, hours, minutes, seconds and separators in and out of range', () => {
    const cases: string[] = [];
    for (const day of ['2024-02-29', '2023-02-29', '2026-00-10', '2026-12-31', '2026-11-31', '1900-02-29', '0000-02-29']) {
      for (const time of ['00:00:00.000', '23:59:59.999', '24:00:00.000', '12:60:00.000', '12:00:60.000', '1a:00:00.000', '12:00:00.0x0']) {
        cases.push(`${day}T${time}Z`);
      }
    }
    for (const [at, ch] of [[10, 't'], [13, '-'], [16, '.'], [19, ':'], [23, 'z']] as const) {
      const text = '2026-03-01T09:30:00.000Z';
      cases.push(text.slice(0, at) + ch + text.slice(at + 1));
    }
    for (const text of cases) {
      expect({ text, got: outcome(() => DateTimeISO.serialize(text)) }).toEqual({ text, got: outcome(() => GraphQLDateTimeISO.serialize(text)) });
    }
  });

  it('takes the shortcut only for canonical, real instants', () => {
    expect(isCanonicalIsoInstant('2024-02-29T23:59:59.999Z')).toBe(true);
    expect(isCanonicalIsoInstant('2023-02-29T00:00:00.000Z')).toBe(false);
    expect(isCanonicalIsoInstant('2026-03-01T09:30:00Z')).toBe(false);
  });

  it('is the same scalar as graphql-scalars’ in the schema (name, description, parsing)', () => {
    const ours = DateTimeISO.toConfig();
    const theirs = GraphQLDateTimeISO.toConfig();
    expect({ ...ours, serialize: null }).toEqual({ ...theirs, serialize: null });
    expect(DateTimeISO.parseValue('2026-03-01T09:30:00.123Z')).toEqual(GraphQLDateTimeISO.parseValue('2026-03-01T09:30:00.123Z'));
  });
});
