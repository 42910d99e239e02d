import { Decimal } from 'decimal.js';
import { ExactDecimal } from './exact-decimal';
import { RateParseError } from './money-error';

// Unsigned plain decimals only: no exponent, no '%', no comma, no whitespace.
const RATE_SYNTAX = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Parses a rate written as a fraction ("0.04" for 4 %), checking 0 <= rate <= 1; throws RateParseError. */
export function parseRate(input: string): Decimal {
  const rate = parseUnsigned(input);
  if (rate.greaterThan(1)) throw new RateParseError(`Rate above 1: ${JSON.stringify(input)}`);
  return rate;
}

/** Parses a percentage ("4" or "4.5") into a rate (0.04, 0.045), checking 0 <= percent <= 100. */
export function parsePercent(input: string): Decimal {
  const percent = parseUnsigned(input);
  if (percent.greaterThan(100)) throw new RateParseError(`Percentage above 100: ${JSON.stringify(input)}`);
  // Division by 100 on the exact constructor never rounds; the result goes back to the default constructor.
  return new Decimal(new ExactDecimal(percent).dividedBy(100));
}

function parseUnsigned(input: string): Decimal {
  if (typeof input !== 'string' || !RATE_SYNTAX.test(input)) {
    throw new RateParseError(`Invalid rate: ${JSON.stringify(input) ?? String(input)}`);
  }
  return new Decimal(input);
}
