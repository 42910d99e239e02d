import { expect } from 'chai';
import { expiryDue, expiryTimeline } from './settlement-transitions';

const batch = { validUntil: '2026-12-31', toleranceDays: 30, status: 'active' as const };

describe('expiry calendar of a batch', () => {
  it('alerts at J-30, stops distribution at J-15, expires the day after valid_until + tolerance', () => {
    expect(expiryTimeline(batch)).to.deep.equal({
      alertDate: '2026-12-01',
      distributionStopDate: '2026-12-16',
      lastAcceptedDate: '2027-01-30',
      expiryDate: '2027-01-31',
    });
  });

  it('says nothing is due before J-30', () => {
    expect(expiryDue(batch, '2026-11-30', false)).to.deep.equal({
      alert: false,
      stopDistribution: false,
      expire: false,
    });
  });

  it('alerts from J-30 and stops distribution from J-15', () => {
    expect(expiryDue(batch, '2026-12-01', false)).to.deep.equal({
      alert: true,
      stopDistribution: false,
      expire: false,
    });
    expect(expiryDue(batch, '2026-12-16', false)).to.deep.equal({
      alert: true,
      stopDistribution: true,
      expire: false,
    });
  });

  it('expires only once the undo window of the last accepted day is over', () => {
    expect(expiryDue(batch, '2027-01-30', true)).to.deep.equal({
      alert: true,
      stopDistribution: true,
      expire: false,
    });
    expect(expiryDue(batch, '2027-01-31', false)).to.deep.equal({
      alert: false,
      stopDistribution: false,
      expire: false,
    });
    expect(expiryDue(batch, '2027-01-31', true)).to.deep.equal({
      alert: false,
      stopDistribution: false,
      expire: true,
    });
  });

  it('leaves batches that are not active alone', () => {
    expect(expiryDue({ ...batch, status: 'closed' }, '2027-02-15', true).expire).to.equal(false);
    expect(expiryDue({ ...batch, status: 'awaiting_funding' }, '2026-12-20', true).alert).to.equal(false);
  });
});
