import { expect } from 'chai';
import { formatFrenchDate, formatPdfAmount, formatPdfTotal } from './booklet-text';

describe('booklet text formatting', () => {
  it('prints ISO dates as dd/mm/yyyy', () => {
    expect(formatFrenchDate('2026-12-31')).to.equal('31/12/2026');
    expect(formatFrenchDate('2028-02-29')).to.equal('29/02/2028');
  });

  for (const input of ['2026-02-30', '31/12/2026', '2026-12-31T00:00:00Z', '2026-1-5', '']) {
    it(`refuses ${JSON.stringify(input)} as a validity date`, () => {
      expect(() => formatFrenchDate(input)).to.throw(RangeError);
    });
  }

  it('prints a face value the French way with a no-break space before the euro sign', () => {
    expect(formatPdfAmount('10.00')).to.equal('10,00\u00a0€');
    expect(formatPdfAmount('5')).to.equal('5,00\u00a0€');
  });

  it('groups thousands with a no-break space Helvetica can print', () => {
    expect(formatPdfTotal('10.00', 150)).to.equal('1\u00a0500,00\u00a0€');
  });

  it('refuses an amount that is not a strict decimal string', () => {
    expect(() => formatPdfAmount('10,00')).to.throw();
    expect(() => formatPdfAmount('10.001')).to.throw();
  });
});
