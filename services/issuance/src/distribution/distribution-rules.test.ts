import { expect } from 'chai';
import { isValidRange, toRanges } from './booklet-ranges';
import { decideHandOut, decideStockMove } from './distribution-rules';

describe('distribution rules', () => {
  const batch = { status: 'active' as const, validUntil: '2026-12-31', bookletCount: 100 };

  it('hands out until J-16 and blocks from J-15 before valid_until (Paris date)', () => {
    expect(decideHandOut(batch, new Date('2026-12-15T12:00:00Z'), 'Europe/Paris').ok).to.equal(true);
    expect(decideHandOut(batch, new Date('2026-12-16T08:00:00Z'), 'Europe/Paris')).to.deep.equal({
      ok: false,
      refusal: { reason: 'distribution_closed', since: '2026-12-16' },
    });
    // 23:30 UTC on the 15th is already the 16th in Paris.
    expect(decideHandOut(batch, new Date('2026-12-15T23:30:00Z'), 'Europe/Paris').ok).to.equal(false);
  });

  it('hands out only passes of an active batch', () => {
    const check = decideHandOut(
      { ...batch, status: 'awaiting_funding' },
      new Date('2026-06-01T12:00:00Z'),
      'Europe/Paris',
    );
    expect(check.ok === false && check.refusal.reason).to.equal('batch_not_active');
  });

  it('moves stock of submitted batches only, in valid ranges', () => {
    expect(
      decideStockMove({ status: 'awaiting_funding', bookletCount: 100 }, { from: 1, to: 100 }).ok,
    ).to.equal(true);
    const draft = decideStockMove({ status: 'draft', bookletCount: 100 }, { from: 1, to: 1 });
    expect(draft.ok === false && draft.refusal.reason).to.equal('batch_not_submitted');
    const beyond = decideStockMove({ status: 'active', bookletCount: 100 }, { from: 90, to: 101 });
    expect(beyond.ok === false && beyond.refusal.reason).to.equal('booklet_range_invalid');
  });

  it('validates ranges and compacts booklet numbers into ranges', () => {
    expect(isValidRange({ from: 3, to: 2 }, 10)).to.equal(false);
    expect(isValidRange({ from: 0, to: 2 }, 10)).to.equal(false);
    expect(isValidRange({ from: 1, to: 10 }, 10)).to.equal(true);
    expect(toRanges([7, 1, 2, 3, 9, 8, 3])).to.deep.equal([
      { from: 1, to: 3 },
      { from: 7, to: 9 },
    ]);
    expect(toRanges([])).to.deep.equal([]);
  });
});
