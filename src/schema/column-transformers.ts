/**
 * Column transformers: PostgreSQL returns NUMERIC and BIGINT as strings; the domain uses numbers.
 */
import { ValueTransformer } from 'typeorm';

export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? null : Number(value)),
};
