import { expect } from 'chai';
import fc from 'fast-check';
import { formatDocumentNumber, parseDocumentNumber } from './document-number';

describe('document numbers', () => {
  it('writes statements, credit notes and files with their prefix, year and six digits', () => {
    expect(formatDocumentNumber('statement', 2026, 42)).to.equal('RLV-2026-000042');
    expect(formatDocumentNumber('credit_note', 2027, 1)).to.equal('AV-2027-000001');
    expect(formatDocumentNumber('payout_file', 2026, 7)).to.equal('VIR-2026-000007');
  });

  it('reads back what it writes, also past a million documents a year', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('statement' as const, 'credit_note' as const, 'payout_file' as const),
        fc.integer({ min: 2000, max: 2999 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (series, year, sequence) => {
          expect(parseDocumentNumber(formatDocumentNumber(series, year, sequence))).to.deep.equal({
            series,
            year,
            sequence,
          });
        },
      ),
    );
  });

  it('refuses sequence zero and unknown prefixes', () => {
    expect(() => formatDocumentNumber('statement', 2026, 0)).to.throw(RangeError);
    expect(parseDocumentNumber('XYZ-2026-000001')).to.equal(undefined);
  });
});
