import { expect } from 'chai';
import { centsToAmount, formatMoney, formatPercent, formatRate } from './format';

describe('web formatting', () => {
  it('formats money from its decimal string without a float, French style', () => {
    expect(formatMoney({ amount: '1234567.5', currency: 'EUR' })).to.equal('1\u202f234\u202f567,50\u00a0€');
    expect(formatMoney({ amount: '10.00', currency: 'EUR' })).to.equal('10,00\u00a0€');
    expect(formatMoney({ amount: '-0.07', currency: 'EUR' })).to.equal('−0,07\u00a0€');
    // 0.1 + 0.2 would show a float error; a string never does.
    expect(formatMoney('90071992547409.93')).to.equal('90\u202f071\u202f992\u202f547\u202f409,93\u00a0€');
  });

  it('converts integer cents to a decimal string', () => {
    expect(centsToAmount('123456')).to.equal('1234.56');
    expect(centsToAmount(5n)).to.equal('0.05');
    expect(centsToAmount('-250')).to.equal('-2.50');
  });

  it('shows rates as French percentages', () => {
    expect(formatPercent('0.04')).to.equal('4\u00a0%');
    expect(formatPercent('0.200000')).to.equal('20\u00a0%');
    expect(formatPercent('0.025')).to.equal('2,5\u00a0%');
    expect(formatPercent('1')).to.equal('100\u00a0%');
  });

  it('computes a share of a total with one decimal, and a dash for an empty total', () => {
    expect(formatRate(1, 3)).to.equal('33,3\u00a0%');
    expect(formatRate(0, 0)).to.equal('—');
  });
});
