import { CROCKFORD_ALPHABET, crockfordValueAt } from './crockford-base32';

// Why not Crockford's own mod-37 check symbol: it needs five extra symbols (* ~ $ = U). `~` and `=` are
// awkward on French AZERTY keyboards and phones (AltGr, second symbol page), `~` and `=` are not even QR
// alphanumeric characters, and U is the very letter the alphabet drops. A person reading a booklet would
// meet a symbol that appears nowhere else in the code.
//
// Instead the check symbol is one more ordinary Crockford symbol, computed in the finite field GF(32)
// (5-bit symbols, polynomial arithmetic modulo the primitive polynomial x^5 + x^2 + 1). With symbols
// s_0 .. s_n (s_n the check symbol) a valid code satisfies
//
//     sum over i of  alpha^(n - i) * s_i  =  0      (sum is XOR, alpha a generator of order 31)
//
// which is the parity check of a Reed-Solomon code with one redundant symbol. Because GF(32) has no zero
// divisors and alpha^0 .. alpha^30 are all distinct, for any code of at most 31 symbols:
// - a single substitution adds e * alpha^k with e != 0: never zero, always caught;
// - swapping ANY two different symbols a, b at positions i != j adds (a XOR b) * (alpha^(n-i) XOR
//   alpha^(n-j)): a product of two non-zero elements, never zero, so every transposition is caught,
//   adjacent or not, including one that moves the check symbol itself.
// Random multi-symbol errors slip through with probability 1/32 (Crockford's mod 37 would give 1/37).

const PRIMITIVE_POLYNOMIAL = 0b100101; // x^5 + x^2 + 1
const FIELD_ORDER = 31; // multiplicative group size; weights repeat after 31 symbols

/** Maximum number of data symbols the check symbol protects with its guarantees (weights must differ). */
export const MAX_CHECKED_DATA_LENGTH = FIELD_ORDER - 1;

/** Multiplies a GF(32) element by alpha (shift, then reduce by the primitive polynomial). */
function timesAlpha(x: number): number {
  const shifted = x << 1;
  return shifted & 0b100000 ? shifted ^ PRIMITIVE_POLYNOMIAL : shifted;
}

/** alpha^k for k >= 0: the weight of the symbol k places before the end. */
export function checkWeight(k: number): number {
  let x = 1;
  for (let i = 0; i < k % FIELD_ORDER; i++) x = timesAlpha(x);
  return x;
}

/** Horner evaluation of the parity sum; undefined when a symbol is not canonical Crockford. */
function paritySum(symbols: string): number | undefined {
  let sum = 0;
  for (let position = 0; position < symbols.length; position++) {
    const value = crockfordValueAt(symbols, position);
    if (value < 0) return undefined;
    sum = timesAlpha(sum) ^ value;
  }
  return sum;
}

/** Check symbol to append to canonical Crockford `data` (at most 30 symbols). */
export function computeCheckSymbol(data: string): string {
  if (data.length > MAX_CHECKED_DATA_LENGTH) {
    throw new RangeError(`check symbol covers at most ${MAX_CHECKED_DATA_LENGTH} symbols`);
  }
  const sum = paritySum(data);
  if (sum === undefined) throw new RangeError('data must be canonical Crockford base32');
  // Appending c gives timesAlpha(sum) XOR c, which is zero exactly when c = timesAlpha(sum).
  return CROCKFORD_ALPHABET[timesAlpha(sum)]!;
}

/** True when canonical Crockford `symbols` (data followed by its check symbol) satisfy the parity check. */
export function hasValidCheckSymbol(symbols: string): boolean {
  return symbols.length >= 1 && symbols.length <= FIELD_ORDER && paritySum(symbols) === 0;
}
