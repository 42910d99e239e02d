import { expect } from 'chai';
import fc from 'fast-check';
import { Money } from './money';
import type { RoundingMode } from './rounding-mode';

// What parse() accepts: the range of a Postgres bigint column, made symmetric.
const storableCents = () => fc.bigInt({ min: -(2n ** 63n - 1n), max: 2n ** 63n - 1n });
// Covers the everyday range densely and, less often, amounts far beyond what a number could hold exactly.
const cents = () =>
  fc.oneof(
    { arbitrary: fc.bigInt({ min: -100_000n, max: 100_000n }), weight: 3 },
    { arbitrary: storableCents(), weight: 2 },
    { arbitrary: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), weight: 1 },
  );
const money = () => cents().map((value) => Money.fromCents(value));
// A decimal factor as its exact fraction numerator / 10^scale, plus its written form.
const factor = () =>
  fc.record({
    numerator: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
    scale: fc.integer({ min: 0, max: 12 }),
  });

function writeFactor(numerator: bigint, scale: number): string {
  const digits = (numerator < 0n ? -numerator : numerator).toString().padStart(scale + 1, '0');
  const units = digits.slice(0, digits.length - scale);
  const decimals = scale > 0 ? `.${digits.slice(-scale)}` : '';
  return `${numerator < 0n ? '-' : ''}${units}${decimals}`;
}

// Independent reference in plain bigint: truncate, then adjust away from zero as the mode says.
function roundQuotient(dividend: bigint, divisor: bigint, mode: RoundingMode): bigint {
  const quotient = dividend / divisor;
  const remainder = dividend % divisor;
  if (remainder === 0n) return quotient;
  const away = dividend < 0n ? quotient - 1n : quotient + 1n;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return away;
    case 'half_up':
      return twice >= divisor ? away : quotient;
    case 'half_even':
      if (twice === divisor) return quotient % 2n === 0n ? quotient : away;
      return twice > divisor ? away : quotient;
  }
}

describe('Money properties', () => {
  it('parses back what it prints, cent for cent', () => {
    fc.assert(
      fc.property(storableCents(), (value) => {
        expect(Money.parse(Money.fromCents(value).toString()).toCents()).to.equal(value);
      }),
      { examples: [[0n], [-1n], [99n], [-100n]] },
    );
  });

  it('prints any valid amount string in its canonical two-decimal form', () => {
    const amountString = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.stringMatching(/^([0-9]{1,2})?$/))
      .map(
        ([negative, units, decimals]) => `${negative ? '-' : ''}${units}${decimals ? `.${decimals}` : ''}`,
      );
    fc.assert(
      fc.property(amountString, (input) => {
        const printed = Money.parse(input).toString();
        const [, sign = '', units = '', decimals = ''] = /^(-?)([0-9]+)(?:\.([0-9]*))?$/.exec(input) ?? [];
        const expectedSign = /[1-9]/.test(units + decimals) ? sign : '';
        expect(printed).to.equal(`${expectedSign}${units}.${decimals.padEnd(2, '0')}`);
      }),
    );
  });

  it('round-trips cents through bigint and string', () => {
    fc.assert(
      fc.property(cents(), (value) => {
        expect(Money.fromCents(value).toCents()).to.equal(value);
        expect(Money.fromCents(Money.fromCents(value).toCentsString()).toCents()).to.equal(value);
      }),
    );
  });

  it('formats in French exactly as Intl fr-FR does', () => {
    const format = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    fc.assert(
      fc.property(cents(), (value) => {
        const amount = Money.fromCents(value);
        // A string argument is formatted exactly (Intl.NumberFormat v3), no float involved.
        expect(amount.formatFr()).to.equal(format.format(amount.toString() as unknown as number));
      }),
    );
  });

  it('writes the French decimal as the API string with a comma', () => {
    fc.assert(
      fc.property(money(), (amount) => {
        expect(amount.toFrenchDecimal()).to.equal(amount.toString().replace('.', ','));
        expect(amount.toFrenchDecimal()).to.match(/^-?[0-9]+,[0-9]{2}$/);
      }),
    );
  });

  it('undoes an addition by a subtraction, and adds in any order', () => {
    fc.assert(
      fc.property(money(), money(), (a, b) => {
        expect(a.add(b).subtract(b).equals(a)).to.equal(true);
        expect(a.add(b).equals(b.add(a))).to.equal(true);
        expect(a.add(a.negate()).isZero()).to.equal(true);
        expect(a.subtract(b).equals(b.subtract(a).negate())).to.equal(true);
      }),
    );
  });

  it('orders amounts as their cents', () => {
    fc.assert(
      fc.property(cents(), cents(), (a, b) => {
        const expected = a === b ? 0 : a < b ? -1 : 1;
        expect(Money.fromCents(a).compare(Money.fromCents(b))).to.equal(expected);
        expect(Money.fromCents(a).equals(Money.fromCents(b))).to.equal(a === b);
      }),
    );
  });

  it('multiplies by an integer like repeated addition', () => {
    fc.assert(
      fc.property(money(), fc.integer({ min: -20, max: 20 }), (amount, n) => {
        const repeated = Money.sum(
          Array.from({ length: Math.abs(n) }, () => (n < 0 ? amount.negate() : amount)),
        );
        expect(amount.times(n).equals(repeated)).to.equal(true);
        expect(amount.times(BigInt(n)).equals(repeated)).to.equal(true);
      }),
    );
  });

  it('multiplies by a decimal factor like a bigint reference, in every rounding mode', () => {
    const modes: RoundingMode[] = ['half_up', 'half_even', 'down', 'up'];
    fc.assert(
      fc.property(cents(), factor(), fc.constantFrom(...modes), (value, { numerator, scale }, mode) => {
        const expected = roundQuotient(value * numerator, 10n ** BigInt(scale), mode);
        expect(Money.fromCents(value).multiplyBy(writeFactor(numerator, scale), mode).toCents()).to.equal(
          expected,
        );
      }),
      // Exact ties: 0.005 and -0.005, 0.015, 0.025.
      {
        examples: [
          [1n, { numerator: 5n, scale: 1 }, 'half_up'],
          [-1n, { numerator: 5n, scale: 1 }, 'half_even'],
        ],
      },
    );
  });

  it('allocates the exact total, each part within one cent of its exact share', () => {
    const weights = fc.array(fc.bigInt({ min: 0n, max: 1_000_000n }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(cents(), weights, (value, ws) => {
        fc.pre(ws.some((w) => w > 0n));
        const total = ws.reduce((sum, w) => sum + w, 0n);
        const parts = Money.fromCents(value).allocate(ws);
        expect(parts).to.have.length(ws.length);
        expect(Money.sum(parts).toCents()).to.equal(value);
        parts.forEach((part, index) => {
          // |part - value * w / total| < 1 cent, kept in integers by multiplying through by total.
          const gap = part.toCents() * total - value * ws[index]!;
          expect((gap < 0n ? -gap : gap) < total, `part ${index} is a cent or more off its share`).to.equal(
            true,
          );
          if (ws[index] === 0n) expect(part.isZero()).to.equal(true);
          // Never a part of the opposite sign.
          expect(value >= 0n ? !part.isNegative() : !part.isPositive()).to.equal(true);
        });
        expect(
          Money.fromCents(-value)
            .allocate(ws)
            .map((part) => part.negate().toCents()),
        ).to.deep.equal(parts.map((part) => part.toCents()));
      }),
    );
  });

  it('splits evenly into parts at most one cent apart, larger ones first', () => {
    fc.assert(
      fc.property(cents(), fc.integer({ min: 1, max: 50 }), (value, n) => {
        const parts = Money.fromCents(value)
          .allocateEvenly(n)
          .map((part) => part.toCents());
        expect(parts.reduce((sum, part) => sum + part, 0n)).to.equal(value);
        const magnitudes = parts.map((part) => (part < 0n ? -part : part));
        for (let index = 1; index < magnitudes.length; index++) {
          expect(magnitudes[index - 1]! - magnitudes[index]!).to.be.oneOf([0n, 1n]);
        }
        expect(magnitudes[0]! - magnitudes[magnitudes.length - 1]!).to.be.oneOf([0n, 1n]);
      }),
    );
  });
});
