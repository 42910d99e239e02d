import { Decimal } from 'decimal.js';

/**
 * Named rounding modes; ties and directions are relative to zero so that a refund rounds like the charge
 * it mirrors:
 * - `half_up`: nearest, ties away from zero (0.005 -> 0.01, -0.005 -> -0.01), the usual commercial rule.
 * - `half_even`: nearest, ties to the even neighbour (banker's rounding).
 * - `down`: towards zero (truncation).
 * - `up`: away from zero.
 */
export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

/** The decimal.js rounding constant for a named rounding mode. */
export function toDecimalRounding(mode: RoundingMode): Decimal.Rounding {
  switch (mode) {
    case 'half_up':
      return Decimal.ROUND_HALF_UP;
    case 'half_even':
      return Decimal.ROUND_HALF_EVEN;
    case 'down':
      return Decimal.ROUND_DOWN;
    case 'up':
      return Decimal.ROUND_UP;
    default: {
      const unknown: never = mode;
      throw new TypeError(`Unknown rounding mode: ${String(unknown)}`);
    }
  }
}
