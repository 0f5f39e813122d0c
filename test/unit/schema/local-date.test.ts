/**
 * The LocalDate scalar (src/schema/local-date.ts) serialises exactly as graphql-scalars' own: its shortcut for
 * real `YYYY-MM-DD` days is held to graphql-scalars' answer over every month and day number of several years
 * (leap and not), and over malformed text, where graphql-scalars decides (and refuses).
 */
import { GraphQLLocalDate } from 'graphql-scalars';
import { LocalDate } from '../../../src/schema/local-date';

import { outcome } from './serialize-outcome';
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('LocalDate scalar', () => {
  it('gives graphql-scalars’ answer for every month 00-13 and day 00-32 of leap, common and century years', () => {
    let accepted = 0;
    for (const year of [0, 1, 4, 1900, 1999, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          const theirs = outcome(() => GraphQLLocalDate.serialize(text));
          expect({ text, got: outcome(() => LocalDate.serialize(text)) }).toEqual({ text, got: theirs });
          if ('value' in theirs) accepted++;
        }
      }
    }
    // 10 years of 365 days, four of them leap (0000, 0004, 2000, 2024; not 1900 or 2100): 3650 + 4.
    expect(accepted).toBe(3654);
  });

  it('gives graphql-scalars’ answer for malformed text and other values', () => {
    const values: unknown[] = ['2026-3-01', '2026-03-1', '20260301', '2026/03/01', '2026-03-01T00:00:00.000Z', ' 2026-03-01',
      '2026-03-01 ', '+02026-03-01', '२०२६-03-01', '2026-0a-01', '2026-03-0!', '', 'not a date', null, undefined, 0, new Date(0), {}];
    for (const value of values) {
      expect({ value, got: outcome(() => LocalDate.serialize(value)) }).toEqual({ value, got: outcome(() => GraphQLLocalDate.serialize(value)) });
    }
  });

  it('is the same scalar as graphql-scalars’ in the schema (name, description, parsing)', () => {
    expect({ ...LocalDate.toConfig(), serialize: null }).toEqual({ ...GraphQLLocalDate.toConfig(), serialize: null });
    expect(outcome(() => LocalDate.parseValue('2023-02-29'))).toEqual(outcome(() => GraphQLLocalDate.parseValue('2023-02-29')));
  });
});
