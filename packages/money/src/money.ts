import { Decimal } from 'decimal.js';
import { assertCurrency, type Currency, DEFAULT_CURRENCY, frenchCurrencySymbol } from './currency';
import { ExactDecimal } from './exact-decimal';
import { MoneyError, MoneyParseError } from './money-error';
import { type RoundingMode, toDecimalRounding } from './rounding-mode';

/** The JSON shape of an amount: a decimal string, never a number. */
export interface MoneyJson {
  amount: string;
  currency: Currency;
}

// Strict API syntax: optional minus, no leading zeros, at most two decimals, ASCII digits only.
const AMOUNT_SYNTAX = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;
const CENTS_SYNTAX = /^-?(0|[1-9][0-9]*)$/;
const FACTOR_SYNTAX = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const WEIGHT_SYNTAX = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
// Amounts end up in Postgres `bigint` columns; refusing bigger input here gives a 400 instead of a 500.
const MAX_CENTS = 2n ** 63n - 1n;
const NARROW_NO_BREAK_SPACE = '\u202f';
const NO_BREAK_SPACE = '\u00a0';

/** An immutable amount of money held as integer cents with its currency. */
export class Money {
  readonly currency: Currency;
  // A plain (not #private) field so that chai's deep equality and util.inspect see the amount.
  private readonly cents: bigint;

  private constructor(cents: bigint, currency: Currency) {
    this.cents = cents;
    this.currency = currency;
    Object.freeze(this);
  }

  /** Parses a strict API amount such as "10.00", "0.5" or "-3.10"; throws MoneyParseError otherwise. */
  static parse(input: string, currency: Currency = DEFAULT_CURRENCY): Money {
    const match = typeof input === 'string' ? AMOUNT_SYNTAX.exec(input) : null;
    if (!match) throw new MoneyParseError(`Invalid amount: ${show(input)}`);
    const [, sign, units = '0', decimals = ''] = match;
    const magnitude = BigInt(units) * 100n + BigInt(decimals.padEnd(2, '0'));
    if (magnitude > MAX_CENTS) throw new MoneyParseError(`Amount out of range: ${show(input)}`);
    return new Money(sign === '-' ? -magnitude : magnitude, assertCurrency(currency));
  }

  /** Builds an amount from integer cents, as stored in the database (bigint or its decimal string). */
  static fromCents(cents: bigint | string, currency: Currency = DEFAULT_CURRENCY): Money {
    if (typeof cents === 'bigint') return new Money(cents, assertCurrency(currency));
    if (typeof cents === 'string' && CENTS_SYNTAX.test(cents)) {
      return new Money(BigInt(cents), assertCurrency(currency));
    }
    throw new MoneyParseError(`Invalid cent count: ${show(cents)}`);
  }

  /** Zero in the given currency. */
  static zero(currency: Currency = DEFAULT_CURRENCY): Money {
    return new Money(0n, assertCurrency(currency));
  }

  /** Sums amounts of one currency (the given one, else the first item's, else EUR); empty sums to zero. */
  static sum(list: readonly Money[], currency?: Currency): Money {
    const target = currency ?? list[0]?.currency ?? DEFAULT_CURRENCY;
    return list.reduce((total, item) => total.add(item), Money.zero(target));
  }

  /** Integer cents, for storage in a bigint column. */
  toCents(): bigint {
    return this.cents;
  }

  /** Integer cents as a decimal string ("-1050"), for drivers and JSON that cannot carry a bigint. */
  toCentsString(): string {
    return this.cents.toString();
  }

  /** The amount as an exact Decimal in currency units (10.5 for 10.50 €). */
  toDecimal(): Decimal {
    return new Decimal(this.toString());
  }

  /** The API form: "10.00", "-0.05". */
  toString(): string {
    const { units, decimals } = this.digits();
    return `${this.cents < 0n ? '-' : ''}${units}.${decimals}`;
  }

  /** The JSON form `{ amount: "10.00", currency: "EUR" }`. */
  toJSON(): MoneyJson {
    return { amount: this.toString(), currency: this.currency };
  }

  /** French display as Intl fr-FR prints it: "1 234,56 €" (U+202F between groups, U+00A0 before €). */
  formatFr(): string {
    const { units, decimals } = this.digits();
    const grouped = units.replace(/\B(?=(?:[0-9]{3})+$)/g, NARROW_NO_BREAK_SPACE);
    const sign = this.cents < 0n ? '-' : '';
    return `${sign}${grouped},${decimals}${NO_BREAK_SPACE}${frenchCurrencySymbol(this.currency)}`;
  }

  /** Decimal comma and no grouping ("1234,56"), as the FEC and French CSV exports want. */
  toFrenchDecimal(): string {
    const { units, decimals } = this.digits();
    return `${this.cents < 0n ? '-' : ''}${units},${decimals}`;
  }

  /** This plus `other`; both must share a currency. */
  add(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.cents + other.cents, this.currency);
  }

  /** This minus `other`; both must share a currency. */
  subtract(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.cents - other.cents, this.currency);
  }

  /** The opposite amount. */
  negate(): Money {
    return new Money(-this.cents, this.currency);
  }

  /** An exact integer multiple (3 passes x 10.00); use multiplyBy for fractional factors. */
  times(n: bigint | number): Money {
    if (typeof n === 'bigint') return new Money(this.cents * n, this.currency);
    if (typeof n === 'number' && Number.isSafeInteger(n))
      return new Money(this.cents * BigInt(n), this.currency);
    throw new MoneyError('invalid_argument', `times() takes an integer, got ${show(n)}`);
  }

  /** This times a decimal factor ("0.04", "1.2"), rounded once to the cent with the named mode. */
  multiplyBy(factor: string | Decimal, rounding: RoundingMode): Money {
    const mode = toDecimalRounding(rounding);
    const product = new ExactDecimal(this.cents.toString()).times(toExactFactor(factor));
    return new Money(BigInt(product.toDecimalPlaces(0, mode).toFixed(0)), this.currency);
  }

  /** True when the amount is zero. */
  isZero(): boolean {
    return this.cents === 0n;
  }

  /** True when the amount is below zero. */
  isNegative(): boolean {
    return this.cents < 0n;
  }

  /** True when the amount is above zero. */
  isPositive(): boolean {
    return this.cents > 0n;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other` (same currency required). */
  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    if (this.cents === other.cents) return 0;
    return this.cents < other.cents ? -1 : 1;
  }

  /** Same currency and same amount (different currencies are simply not equal). */
  equals(other: Money): boolean {
    return this.currency === other.currency && this.cents === other.cents;
  }

  /**
   * Splits the amount in proportion to `weights` (non-negative integers or decimal strings) by the
   * largest-remainder method: the parts always sum to this amount exactly, each part is within one cent of
   * its exact share, and leftover cents go to the largest remainders, earlier parts first on a tie.
   * A negative amount is split like its opposite and negated, so a refund mirrors its charge.
   */
  allocate(weights: readonly (bigint | string)[]): Money[] {
    const scaled = scaleWeights(weights);
    const totalWeight = scaled.reduce((sum, weight) => sum + weight, 0n);
    if (totalWeight === 0n) throw new MoneyError('invalid_argument', 'allocate() needs a positive weight');

    const magnitude = this.cents < 0n ? -this.cents : this.cents;
    const parts = scaled.map((weight) => (magnitude * weight) / totalWeight);
    const remainders = scaled.map((weight) => (magnitude * weight) % totalWeight);
    let leftover = magnitude - parts.reduce((sum, part) => sum + part, 0n);
    // Array.prototype.sort is stable, and the index breaks ties explicitly anyway.
    const order = parts
      .map((_, index) => index)
      .sort((a, b) => compareBigint(remainders[b]!, remainders[a]!) || a - b);
    for (const index of order) {
      if (leftover === 0n) break;
      parts[index]! += 1n;
      leftover -= 1n;
    }
    return parts.map((part) => new Money(this.cents < 0n ? -part : part, this.currency));
  }

  /** Splits the amount into `n` parts differing by at most one cent, larger parts first. */
  allocateEvenly(n: number): Money[] {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new MoneyError('invalid_argument', `allocateEvenly() needs a positive integer, got ${show(n)}`);
    }
    return this.allocate(Array.from({ length: n }, () => 1n));
  }

  // Relational operators and unary plus would otherwise compare or convert "10.00"-style strings.
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'number')
      throw new TypeError('Money is not a number: use compare(), toCents() or toString()');
    return this.toString();
  }

  private digits(): { units: string; decimals: string } {
    const magnitude = (this.cents < 0n ? -this.cents : this.cents).toString().padStart(3, '0');
    return { units: magnitude.slice(0, -2), decimals: magnitude.slice(-2) };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new MoneyError('currency_mismatch', `Cannot combine ${this.currency} with ${other.currency}`);
    }
  }
}

function toExactFactor(factor: string | Decimal): Decimal {
  if (typeof factor === 'string' && FACTOR_SYNTAX.test(factor)) return new ExactDecimal(factor);
  if (Decimal.isDecimal(factor) && factor.isFinite()) return new ExactDecimal(factor);
  throw new MoneyError('invalid_argument', `Invalid multiplication factor: ${show(factor)}`);
}

// Brings integer and decimal-string weights to one integer scale so the split is done in exact bigint.
function scaleWeights(weights: readonly (bigint | string)[]): bigint[] {
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new MoneyError('invalid_argument', 'allocate() needs at least one weight');
  }
  const parsed = weights.map((weight) => {
    if (typeof weight === 'bigint' && weight >= 0n) return { units: weight, decimals: '' };
    const match = typeof weight === 'string' ? WEIGHT_SYNTAX.exec(weight) : null;
    if (!match) throw new MoneyError('invalid_argument', `Invalid allocation weight: ${show(weight)}`);
    return { units: BigInt(match[1]!), decimals: match[2] ?? '' };
  });
  const scale = parsed.reduce((max, weight) => Math.max(max, weight.decimals.length), 0);
  return parsed.map(
    ({ units, decimals }) => units * 10n ** BigInt(scale) + BigInt(decimals.padEnd(scale, '0') || '0'),
  );
}

function compareBigint(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function show(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
}
