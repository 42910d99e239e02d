import { z } from 'zod';

/** `{ "amount": "10.00", "currency": "EUR" }`: money crosses JSON as a decimal string, never a number. */
export const moneySchema = z
  .object({
    amount: z.string().regex(/^-?\d{1,16}(\.\d{1,2})?$/, 'must be a decimal string with at most 2 decimals'),
    currency: z.literal('EUR'),
  })
  .strict()
  .openapi('Money');

/** A decimal amount string in a request, e.g. "10.00". */
export const amountString = z
  .string()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be a decimal string like "10.00"');

export const uuidSchema = z.uuid();
export const idParams = z.object({ id: z.uuid() }).strict();

/** ISO date `YYYY-MM-DD` that is a real calendar date. */
export const isoDate = z.iso.date();
