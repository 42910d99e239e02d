import { expect } from 'chai';
import fc from 'fast-check';
import { addDays, businessDate, startOfDay } from '../shared/business-time';
import { manualCutoff, periodStartDate, scheduledWindow } from './cutoff';

const PARIS = 'Europe/Paris';

describe('clearing cut-off', () => {
  it('cuts a monthly association at midnight Paris on the 1st once the undo window of the month is over', () => {
    const window = scheduledWindow('monthly', new Date('2026-12-02T02:00:00Z'), 24, PARIS);
    // 1 December 00:00 in Paris is 30 November 23:00 UTC (winter time).
    expect(window.cutoff.toISOString()).to.equal('2026-11-30T23:00:00.000Z');
    expect(window.periodStart.toISOString()).to.equal('2026-10-31T23:00:00.000Z');
  });

  it('keeps the previous month while the last day of the month can still be undone', () => {
    // 1 December 03:00 Paris: a redemption of 30 November 23:00 is still within its 24 h undo window.
    const window = scheduledWindow('monthly', new Date('2026-12-01T02:00:00Z'), 24, PARIS);
    expect(window.cutoff.toISOString()).to.equal('2026-10-31T23:00:00.000Z');
  });

  it('cuts a daily association at the midnight that is at least the undo window old', () => {
    const window = scheduledWindow('daily', new Date('2026-11-22T02:00:00Z'), 24, PARIS);
    expect(window.cutoff.toISOString()).to.equal('2026-11-20T23:00:00.000Z');
    expect(window.periodStart.toISOString()).to.equal('2026-11-19T23:00:00.000Z');
  });

  it('cuts a weekly association on the Monday, summer time included', () => {
    // Thursday 2 July 2026, 10:00 Paris (CEST, UTC+2): the week began on Monday 29 June.
    const window = scheduledWindow('weekly', new Date('2026-07-02T08:00:00Z'), 24, PARIS);
    expect(window.cutoff.toISOString()).to.equal('2026-06-28T22:00:00.000Z');
    expect(window.periodStart.toISOString()).to.equal('2026-06-21T22:00:00.000Z');
  });

  it('puts a Sunday in the week that started six days before', () => {
    expect(periodStartDate('weekly', '2026-11-22')).to.equal('2026-11-16');
    expect(periodStartDate('weekly', '2026-11-23')).to.equal('2026-11-23');
    expect(periodStartDate('monthly', '2026-11-22')).to.equal('2026-11-01');
  });

  it('never cuts later than the undo window allows, and always at the latest boundary that does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('daily' as const, 'weekly' as const, 'monthly' as const),
        fc.integer({ min: 1, max: 72 }),
        (asOf, cadence, hours) => {
          const { cutoff, periodStart } = scheduledWindow(cadence, asOf, hours, PARIS);
          const latest = asOf.getTime() - hours * 3_600_000;
          expect(cutoff.getTime()).to.be.at.most(latest);
          expect(periodStart.getTime()).to.be.below(cutoff.getTime());
          // The next boundary after the cut-off is too recent: the cut-off is the latest possible.
          const cutoffDate = businessDate(cutoff, PARIS);
          const step = { daily: 1, weekly: 7, monthly: 31 }[cadence];
          const next = startOfDay(periodStartDate(cadence, addDays(cutoffDate, step)), PARIS);
          expect(next.getTime()).to.be.above(cutoff.getTime());
          expect(next.getTime()).to.be.above(latest);
        },
      ),
    );
  });

  it('gives the same cut-off for the same asOf (a resumed run rebuilds the same statements)', () => {
    const asOf = new Date('2026-03-29T01:30:00Z'); // the night summer time starts
    expect(scheduledWindow('daily', asOf, 24, PARIS)).to.deep.equal(
      scheduledWindow('daily', new Date(asOf), 24, PARIS),
    );
  });

  it('cuts a manual run at the undo window to the second', () => {
    expect(manualCutoff(new Date('2026-11-22T14:03:27.500Z'), 24).toISOString()).to.equal(
      '2026-11-21T14:03:27.000Z',
    );
  });
});
