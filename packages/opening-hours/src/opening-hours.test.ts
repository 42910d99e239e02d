import { expect } from 'chai';
import { checkOpeningHours, isOpenAt, parisWallClock } from './opening-hours';

describe('checkOpeningHours', () => {
  it('accepts OpenStreetMap syntax as found in the Hinaura open data and keeps it as written', () => {
    const text = 'Mo-Fr 09:30-12:30,13:30-17:00; We,Sa 09:30-12:30';
    expect(checkOpeningHours(text)).to.deep.equal({
      ok: true,
      normalized: text,
      corrected: false,
      notes: [],
    });
    expect(checkOpeningHours('Mo-Fr 09:00-12:00,13:30-17:00; We off')).to.deep.include({
      ok: true,
      corrected: false,
    });
  });

  it('understands public holidays without any network access', () => {
    expect(checkOpeningHours('Mo-Fr 09:00-12:00; PH off')).to.deep.include({ ok: true, corrected: false });
  });

  it('corrects near-miss syntax and reports what it changed', () => {
    const result = checkOpeningHours('Mo-Fr 9-12');
    expect(result).to.deep.include({ ok: true, normalized: 'Mo-Fr 09:00-12:00', corrected: true });
    expect(result.ok && result.notes.length).to.be.greaterThan(0);
    expect(checkOpeningHours('Lu-Ve 9:00-17:00')).to.deep.include({
      ok: true,
      normalized: 'Mo-Fr 09:00-17:00',
    });
  });

  it('refuses free text with a warning instead of throwing', () => {
    const result = checkOpeningHours('Du lundi au vendredi de 9h à 12h sauf vacances scolaires');
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.warning.code).to.equal('opening_hours_unparseable');
    expect(!result.ok && result.warning.message).to.match(/opening_hours syntax/);
  });

  it('refuses empty text with its own warning', () => {
    expect(checkOpeningHours('  ')).to.deep.equal({
      ok: false,
      warning: { code: 'opening_hours_empty', message: 'No opening hours given' },
    });
  });
});

describe('isOpenAt', () => {
  const hours = 'Mo-Fr 09:00-12:00,14:00-17:00; PH off';

  it('reads the instant in Paris time in winter (UTC+1)', () => {
    // Tuesday 14 January 2025: 08:30 UTC is 09:30 in Paris, 07:30 UTC is 08:30.
    expect(isOpenAt(hours, new Date('2025-01-14T08:30:00Z'))).to.deep.equal({ ok: true, state: 'open' });
    expect(isOpenAt(hours, new Date('2025-01-14T07:30:00Z'))).to.deep.equal({ ok: true, state: 'closed' });
  });

  it('reads the instant in Paris time in summer (UTC+2)', () => {
    // Tuesday 15 July 2025: 07:30 UTC is 09:30 in Paris; 10:30 UTC is 12:30, the lunch break.
    expect(isOpenAt(hours, new Date('2025-07-15T07:30:00Z'))).to.deep.equal({ ok: true, state: 'open' });
    expect(isOpenAt(hours, new Date('2025-07-15T10:30:00Z'))).to.deep.equal({ ok: true, state: 'closed' });
  });

  it('uses the Paris date near midnight, not the UTC date', () => {
    // Saturday 18 January 2025 23:30 UTC is already Sunday in Paris.
    expect(isOpenAt('Sa 00:00-24:00', new Date('2025-01-18T22:30:00Z'))).to.deep.equal({
      ok: true,
      state: 'open',
    });
    expect(isOpenAt('Sa 00:00-24:00', new Date('2025-01-18T23:30:00Z'))).to.deep.equal({
      ok: true,
      state: 'closed',
    });
  });

  it('is closed on French public holidays when the hours say PH off', () => {
    // Monday 14 July 2025 (Fête nationale), 10:00 in Paris.
    expect(isOpenAt(hours, new Date('2025-07-14T08:00:00Z'))).to.deep.equal({ ok: true, state: 'closed' });
  });

  it('reports unknown when the hours say so, or only say "by appointment"', () => {
    expect(isOpenAt('Mo-Su 10:00-12:00 unknown', new Date('2025-01-14T10:00:00Z'))).to.deep.equal({
      ok: true,
      state: 'unknown',
    });
    // opening_hours reads French "sur rendez-vous" as a comment-only rule.
    expect(isOpenAt('sur rendez-vous', new Date('2025-01-14T10:00:00Z'))).to.deep.equal({
      ok: true,
      state: 'unknown',
    });
  });

  it('returns the warning for unparseable hours instead of guessing', () => {
    const result = isOpenAt('Mo-Fr 9h30-12h', new Date('2025-01-14T10:00:00Z'));
    expect(!result.ok && result.warning.code).to.equal('opening_hours_unparseable');
  });
});

describe('parisWallClock', () => {
  it('puts the Paris wall-clock time into local fields across the October DST change', () => {
    // 26 October 2025, 00:30 UTC is 02:30 CEST; 01:30 UTC is 02:30 CET (the repeated hour).
    for (const instant of ['2025-10-26T00:30:00Z', '2025-10-26T01:30:00Z']) {
      const wall = parisWallClock(new Date(instant));
      expect([
        wall.getFullYear(),
        wall.getMonth(),
        wall.getDate(),
        wall.getHours(),
        wall.getMinutes(),
      ]).to.deep.equal([2025, 9, 26, 2, 30]);
    }
  });
});
