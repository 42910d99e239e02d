import { SepaError } from './sepa-error';

/** Integer cents as bigint, or as a decimal string of an integer ("1050" is 10.50 EUR). Never a JS number. */
export type Cents = bigint | string;

/** EPC AT-T002: a SEPA credit transfer carries 0.01 to 999,999,999.99 EUR. */
export const MAX_SEPA_AMOUNT_CENTS = 99_999_999_999n;

/** Reads integer cents from a bigint or an integer string; refuses numbers, fractions and signs other than -. */
export function parseCents(value: Cents, field = 'amount'): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d{1,30}$/.test(value)) return BigInt(value);
  throw new SepaError('invalid_amount', `${field} must be integer cents as a bigint or a digit string`, {
    field,
    type: typeof value,
  });
}

/** Formats integer cents as an ISO 20022 amount: 1050n -> "10.50", 5n -> "0.05", -5n -> "-0.05". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Reads an ISO 20022 decimal amount ("10.5", "10.50", "10", "10.500") into integer cents. Refuses a value with
 * a non-zero third decimal rather than rounding it: a euro amount with fractions of a cent is a bad file.
 */
export function decimalToCents(amount: string): bigint {
  const match = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/.exec(amount);
  if (!match) throw new SepaError('invalid_amount', `"${amount}" is not a decimal amount`, { amount });
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(2))) {
    throw new SepaError('invalid_amount', `"${amount}" has fractions of a cent`, { amount });
  }
  const cents = BigInt(whole) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}
