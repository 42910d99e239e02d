import { Decimal } from 'decimal.js';

// decimal.js rounds every result to `precision` significant digits (20 by default), which would silently
// round a product of large amounts. Multiplication and division by powers of ten stop as soon as they are
// exact, so a huge precision costs nothing there. Never hand an instance of this constructor to callers:
// a non-terminating division on it would compute up to a billion digits.
export const ExactDecimal = Decimal.clone({ precision: 1e9 });
