import { expect } from 'chai';
import { Decimal } from 'decimal.js';
import { RateParseError } from './money-error';
import { parsePercent, parseRate } from './rate';

describe('rates', () => {
  it('reads a fraction as an exact Decimal', () => {
    expect(parseRate('0.04').toFixed()).to.equal('0.04');
    expect(parseRate('0').toFixed()).to.equal('0');
    expect(parseRate('1').toFixed()).to.equal('1');
    expect(parseRate('0.123456789012345678901234567').toFixed()).to.equal('0.123456789012345678901234567');
  });

  it('reads a percentage as the matching fraction', () => {
    expect(parsePercent('4').toFixed()).to.equal('0.04');
    expect(parsePercent('4.5').toFixed()).to.equal('0.045');
    expect(parsePercent('100').toFixed()).to.equal('1');
    expect(parsePercent('0').toFixed()).to.equal('0');
    expect(parsePercent('12.345678901234567890123').toFixed()).to.equal('0.12345678901234567890123');
  });

  it('returns Decimals on the default constructor, so later divisions stay cheap', () => {
    expect(parseRate('0.04').constructor).to.equal(Decimal);
    expect(parsePercent('4').constructor).to.equal(Decimal);
  });

  for (const input of [
    '1.01',
    '-0.01',
    '2',
    '4%',
    '0,04',
    '',
    ' 0.04',
    '0.04 ',
    '1e-2',
    '.04',
    'NaN',
    '01',
  ]) {
    it(`refuses the rate ${JSON.stringify(input)} with code invalid_rate`, () => {
      expect(() => parseRate(input))
        .to.throw(RateParseError)
        .with.property('code', 'invalid_rate');
    });
  }

  for (const input of ['100.01', '-4', '4 %', '4%', '', '4,5', '1e1']) {
    it(`refuses the percentage ${JSON.stringify(input)} with code invalid_rate`, () => {
      expect(() => parsePercent(input))
        .to.throw(RateParseError)
        .with.property('code', 'invalid_rate');
    });
  }
});
