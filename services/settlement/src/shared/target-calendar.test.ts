import { expect } from 'chai';
import { easterSunday, isTargetBusinessDay, nextTargetBusinessDay } from './target-calendar';

describe('TARGET2 calendar', () => {
  it('knows Easter Sunday', () => {
    expect(easterSunday(2024)).to.equal('2024-03-31');
    expect(easterSunday(2025)).to.equal('2025-04-20');
    expect(easterSunday(2026)).to.equal('2026-04-05');
    expect(easterSunday(2027)).to.equal('2027-03-28');
  });

  it('is closed on weekends and its six holidays, open on French-only holidays', () => {
    for (const closed of [
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-12-25',
      '2026-12-26',
      '2026-11-21',
    ]) {
      expect(isTargetBusinessDay(closed), closed).to.equal(false);
    }
    for (const open of ['2026-07-14', '2026-11-11', '2026-05-08', '2026-11-23']) {
      expect(isTargetBusinessDay(open), open).to.equal(true);
    }
  });

  it('asks for execution on the next business day', () => {
    expect(nextTargetBusinessDay('2026-11-20')).to.equal('2026-11-23'); // Friday -> Monday
    expect(nextTargetBusinessDay('2026-12-24')).to.equal('2026-12-28'); // Christmas, 26th and Sunday
    expect(nextTargetBusinessDay('2026-04-02')).to.equal('2026-04-07'); // Good Friday to Easter Monday
    expect(nextTargetBusinessDay('2026-11-23')).to.equal('2026-11-24');
  });
});
