import { expect } from 'chai';
import fc from 'fast-check';
import { formatRateFr, normaliseRate, statementFee } from './fee';

/** Half-up rounding of gross x rate in integers: the reference the decimal code must match. */
function referenceFee(gross: bigint, rateMillionths: bigint): bigint {
  return (gross * rateMillionths * 2n + 1_000_000n) / 2_000_000n;
}

describe('downstream fee', () => {
  it('rounds half-up once on the statement total, not per line', () => {
    // Three lines of 0.10 € at 5 %: per line 3 x round(0.005) = 0.03 €, on the total round(0.015) = 0.02 €.
    expect(statementFee(30n, '0.05')).to.equal(2n);
  });

  it('rounds a tie up (half-up), not to even', () => {
    expect(statementFee(50n, '0.01')).to.equal(1n); // 0.005 € -> 0.01 €
    expect(statementFee(250n, '0.01')).to.equal(3n); // 0.025 € -> 0.03 € (half-even would give 0.02 €)
  });

  it('reads rates as stored by numeric(7,6)', () => {
    expect(statementFee(123_456n, '0.015000')).to.equal(1852n); // 1234.56 x 1.5 % = 18.5184 -> 18.52
    expect(statementFee(1_000n, '0.000000')).to.equal(0n);
    expect(statementFee(1_000n, '1.000000')).to.equal(1_000n);
    expect(normaliseRate('0.150000')).to.equal('0.15');
  });

  it('matches an integer half-up reference for any total and six-decimal rate', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (gross, millionths) => {
          const rate = `${millionths / 1_000_000n}.${String(millionths % 1_000_000n).padStart(6, '0')}`;
          expect(statementFee(gross, rate)).to.equal(referenceFee(gross, millionths));
        },
      ),
    );
  });

  it('refuses a rate above 1', () => {
    expect(() => statementFee(100n, '1.5')).to.throw();
  });

  it('prints a rate as French people read it', () => {
    expect(formatRateFr('0.015000')).to.equal('1,5\u00a0%');
    expect(formatRateFr('0.000000')).to.equal('0\u00a0%');
    expect(formatRateFr('0.04')).to.equal('4\u00a0%');
    expect(formatRateFr('0.123456')).to.equal('12,3456\u00a0%');
  });
});
