import { Money } from '@pass/money';
import { expect } from 'chai';
import fc from 'fast-check';
import { computeQuote } from './quote';

describe('quote', () => {
  it('prices 1,000 passes of 10 € at a 4 % fee and 20 % VAT: 10,000 + 400 + 80 = 10,480 €', () => {
    const quote = computeQuote({
      faceValue: Money.parse('10.00'),
      voucherCount: 1000,
      upstreamFeeRate: '0.040000',
      vatRate: '0.200000',
    });
    expect(quote.faceTotal.toString()).to.equal('10000.00');
    expect(quote.upstreamFee.toString()).to.equal('400.00');
    expect(quote.vat.toString()).to.equal('80.00');
    expect(quote.total.toString()).to.equal('10480.00');
    expect(quote.upstreamFeeRate).to.equal('0.04');
  });

  it('rounds the fee half-up once on the total, never per pass', () => {
    // 3 × 10.00 × 3.35 % = 1.005 → 1.01 (per pass it would be 3 × 0.34 = 1.02).
    const quote = computeQuote({
      faceValue: Money.parse('10.00'),
      voucherCount: 3,
      upstreamFeeRate: '0.0335',
      vatRate: '0.2',
    });
    expect(quote.upstreamFee.toString()).to.equal('1.01');
    // VAT 1.01 × 20 % = 0.202 → 0.20.
    expect(quote.vat.toString()).to.equal('0.20');
    expect(quote.total.toString()).to.equal('31.21');
  });

  it('has no fee and no VAT when the contract has none', () => {
    const quote = computeQuote({
      faceValue: Money.parse('10.00'),
      voucherCount: 5,
      upstreamFeeRate: '0',
      vatRate: '0.2',
    });
    expect(quote.upstreamFee.isZero()).to.equal(true);
    expect(quote.vat.isZero()).to.equal(true);
    expect(quote.total.toString()).to.equal('50.00');
  });

  it('always totals face + fee + VAT, each rounding within half a cent of the exact value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (faceCents, count, feeMicros, vatMicros) => {
          const feeRate = (feeMicros / 1e6).toFixed(6);
          const vatRate = (vatMicros / 1e6).toFixed(6);
          const quote = computeQuote({
            faceValue: Money.fromCents(BigInt(faceCents)),
            voucherCount: count,
            upstreamFeeRate: feeRate,
            vatRate,
          });
          const face = BigInt(faceCents) * BigInt(count);
          expect(quote.faceTotal.toCents()).to.equal(face);
          // exact fee in micro-cents: face × feeMicros; rounded value within 0.5 cent.
          const feeExactTimes1e6 = face * BigInt(feeMicros);
          const diff = quote.upstreamFee.toCents() * 1_000_000n - feeExactTimes1e6;
          expect(diff <= 500_000n && diff >= -500_000n).to.equal(true);
          expect(quote.total.toCents()).to.equal(face + quote.upstreamFee.toCents() + quote.vat.toCents());
        },
      ),
    );
  });
});
