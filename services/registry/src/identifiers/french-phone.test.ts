import { expect } from 'chai';
import { normalizeFrenchPhone } from './french-phone';

const ok = (value: string, callingCode: string, national: string | null, repaired = false) => ({
  ok: true,
  value,
  callingCode,
  national,
  repaired,
});

describe('normalizeFrenchPhone', () => {
  it('keeps a number already in the format the venue standard asks for', () => {
    expect(normalizeFrenchPhone('+33475582913')).to.deep.equal(ok('+33475582913', '33', '04 75 58 29 13'));
  });

  it('converts the ways people write a metropolitan number to E.164', () => {
    for (const written of [
      '04 75 58 29 13',
      '04.75.58.29.13',
      '04-75-58-29-13',
      '0475582913',
      '+33 4 75 58 29 13',
    ]) {
      expect(normalizeFrenchPhone(written), written).to.deep.equal(
        ok('+33475582913', '33', '04 75 58 29 13'),
      );
    }
    expect(normalizeFrenchPhone('+33 (0)4 75 58 29 13')).to.deep.include({ ok: true, value: '+33475582913' });
    expect(normalizeFrenchPhone('0033 4 75 58 29 13')).to.deep.include({ ok: true, value: '+33475582913' });
    expect(normalizeFrenchPhone('+330475582913')).to.deep.include({ ok: true, value: '+33475582913' });
    expect(normalizeFrenchPhone('06 12 34 56 78')).to.deep.include({ ok: true, value: '+33612345678' });
  });

  it('gives overseas departments their own calling code', () => {
    expect(normalizeFrenchPhone('02 62 12 34 56')).to.deep.equal(
      ok('+262262123456', '262', '02 62 12 34 56'),
    );
    expect(normalizeFrenchPhone('0692 12 34 56')).to.deep.include({ value: '+262692123456' });
    expect(normalizeFrenchPhone('0269 61 00 00')).to.deep.include({ value: '+262269610000' });
    expect(normalizeFrenchPhone('0590 12 34 56')).to.deep.include({ value: '+590590123456' });
    expect(normalizeFrenchPhone('0594 12 34 56')).to.deep.include({ value: '+594594123456' });
    expect(normalizeFrenchPhone('0696 12 34 56')).to.deep.include({ value: '+596696123456' });
    expect(normalizeFrenchPhone('+687 27 12 34')).to.deep.equal(ok('+687271234', '687', null));
    expect(normalizeFrenchPhone('+689 40 12 34 56')).to.deep.include({ ok: true, value: '+68940123456' });
    expect(normalizeFrenchPhone('+508 41 23 45')).to.deep.include({ ok: true, value: '+508412345' });
  });

  it('repairs numbers a spreadsheet stored as numbers, and says so', () => {
    expect(normalizeFrenchPhone('475582913')).to.deep.equal(ok('+33475582913', '33', '04 75 58 29 13', true));
    // The national standard's own example file writes 33180059880, without the '+'.
    expect(normalizeFrenchPhone('33180059880')).to.deep.equal(
      ok('+33180059880', '33', '01 80 05 98 80', true),
    );
  });

  it('refuses what cannot be a French phone number, with a reason', () => {
    expect(normalizeFrenchPhone('')).to.deep.equal({ ok: false, reason: 'empty' });
    expect(normalizeFrenchPhone('tel: 04 75')).to.deep.equal({ ok: false, reason: 'invalid_characters' });
    expect(normalizeFrenchPhone('04 75 58 29')).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(normalizeFrenchPhone('3949')).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(normalizeFrenchPhone('+44 20 7946 0958')).to.deep.equal({ ok: false, reason: 'not_french' });
    expect(normalizeFrenchPhone('00 12 34 56 78')).to.deep.equal({ ok: false, reason: 'not_french' });
    expect(normalizeFrenchPhone('0012345678')).to.deep.equal({ ok: false, reason: 'not_french' });
    expect(normalizeFrenchPhone('+33 0 12 34 56 78')).to.deep.equal({ ok: false, reason: 'invalid_prefix' });
    expect(normalizeFrenchPhone('00 00 00 00 00')).to.deep.equal({ ok: false, reason: 'not_french' });
    expect(normalizeFrenchPhone('+33 4 75 58 29')).to.deep.equal({ ok: false, reason: 'wrong_length' });
  });
});
