import { expect } from 'chai';
import fc from 'fast-check';
import { decimalToCents, formatCents, parseCents } from './cents';
import { SepaError } from './sepa-error';

describe('formatCents', () => {
  it('writes two decimals with a dot', () => {
    expect(formatCents(1050n)).to.equal('10.50');
    expect(formatCents(5n)).to.equal('0.05');
    expect(formatCents(0n)).to.equal('0.00');
    expect(formatCents(99_999_999_999n)).to.equal('999999999.99');
    expect(formatCents(-5n)).to.equal('-0.05');
  });

  it('is read back exactly by decimalToCents for any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (cents) => {
        expect(decimalToCents(formatCents(cents))).to.equal(cents);
      }),
    );
  });
});

describe('parseCents', () => {
  it('takes bigints and digit strings', () => {
    expect(parseCents(1234n)).to.equal(1234n);
    expect(parseCents('1234')).to.equal(1234n);
    expect(parseCents('-5')).to.equal(-5n);
  });

  it('refuses JS numbers, decimals and garbage', () => {
    for (const value of [12.34, 1000, '12.34', '1e3', '', ' 12'] as unknown[]) {
      expect(() => parseCents(value as bigint), String(value))
        .to.throw(SepaError)
        .with.property('code', 'invalid_amount');
    }
  });
});

describe('decimalToCents', () => {
  it('reads ISO 20022 amounts with zero to many decimals', () => {
    expect(decimalToCents('10')).to.equal(1000n);
    expect(decimalToCents('10.5')).to.equal(1050n);
    expect(decimalToCents('10.500')).to.equal(1050n);
    expect(decimalToCents('0.01')).to.equal(1n);
    expect(decimalToCents('123456789012345.67')).to.equal(12345678901234567n);
  });

  it('refuses fractions of a cent instead of rounding them', () => {
    expect(() => decimalToCents('10.005'))
      .to.throw(SepaError)
      .with.property('code', 'invalid_amount');
  });

  it('refuses what is not a decimal', () => {
    for (const value of ['', 'abc', '1,50', '1.2.3', '1e2']) {
      expect(() => decimalToCents(value), value).to.throw(SepaError);
    }
  });
});
