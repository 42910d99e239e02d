import { expect } from 'chai';
import { formatDateFr, formatDateTimeFr, isoDateToFr, startOfDay } from './business-time';

describe('business time (Europe/Paris)', () => {
  it('starts a day at local midnight in winter and in summer', () => {
    expect(startOfDay('2026-01-15', 'Europe/Paris').toISOString()).to.equal('2026-01-14T23:00:00.000Z');
    expect(startOfDay('2026-07-15', 'Europe/Paris').toISOString()).to.equal('2026-07-14T22:00:00.000Z');
    // The days the clocks change: midnight is still before the change.
    expect(startOfDay('2026-03-29', 'Europe/Paris').toISOString()).to.equal('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-10-25', 'Europe/Paris').toISOString()).to.equal('2026-10-24T22:00:00.000Z');
  });

  it('writes dates the French way', () => {
    expect(isoDateToFr('2026-11-05')).to.equal('05/11/2026');
    expect(formatDateFr(new Date('2026-11-30T23:30:00Z'), 'Europe/Paris')).to.equal('01/12/2026');
    expect(formatDateTimeFr(new Date('2026-07-01T08:05:00Z'), 'Europe/Paris')).to.equal('01/07/2026 10:05');
  });
});
