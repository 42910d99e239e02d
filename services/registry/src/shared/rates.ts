import { parseRate, RateParseError } from '@pass/money';
import { Decimal } from 'decimal.js';
import { z } from './openapi-zod';

/** A rate written as a fraction in a decimal string ("0.04" for 4 %), 0 ≤ rate ≤ 1, at most 6 decimals. */
export const rateString = z
  .string()
  .max(10)
  .refine(
    (value) => {
      try {
        parseRate(value);
        return /^\d+(\.\d{1,6})?$/.test(value);
      } catch (err) {
        if (err instanceof RateParseError) return false;
        throw err;
      }
    },
    { message: 'must be a decimal string between 0 and 1 with at most 6 decimals, e.g. "0.04"' },
  );

/** A `numeric` rate read from PostgreSQL ("0.040000") as its shortest decimal string ("0.04"). */
export function formatRate(value: string | number): string {
  return new Decimal(value).toFixed();
}
