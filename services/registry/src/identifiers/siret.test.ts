import { expect } from 'chai';
import fc from 'fast-check';
import { passesLuhn, validateSiren, validateSiret } from './siret';

// Real, public identifiers (annuaire-entreprises.data.gouv.fr):
const INSEE_SIREN = '120027016';
const INSEE_HEAD_OFFICE_SIRET = '12002701600563';
const INSEE_SERVICE_PUBLIC_EXAMPLE_SIRET = '12002701600357'; // the example service-public.fr forms print
const EDF_SIREN = '552081317';
const LA_POSTE_HEAD_OFFICE_SIRET = '35600000000048';
const STANDARD_EXAMPLE_PIVOT = '43493312300029'; // the example `pivot` of the national venue standard

describe('validateSiren', () => {
  it('accepts the SIRENs of INSEE, EDF and La Poste', () => {
    expect(validateSiren(INSEE_SIREN)).to.deep.equal({ ok: true, value: INSEE_SIREN });
    expect(validateSiren(EDF_SIREN)).to.deep.equal({ ok: true, value: EDF_SIREN });
    expect(validateSiren('356000000')).to.deep.equal({ ok: true, value: '356000000' });
  });

  it('accepts a SIREN grouped the way it is printed', () => {
    expect(validateSiren(' 120 027 016 ')).to.deep.equal({ ok: true, value: INSEE_SIREN });
    expect(validateSiren('120.027.016')).to.deep.equal({ ok: true, value: INSEE_SIREN });
    expect(validateSiren('120\u00a0027\u00a0016')).to.deep.equal({ ok: true, value: INSEE_SIREN });
  });

  it('refuses a SIREN with one digit changed', () => {
    expect(validateSiren('120027017')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
    expect(validateSiren('552081318')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
  });

  it('refuses the all-zero placeholder although it passes Luhn', () => {
    expect(passesLuhn('000000000')).to.equal(true);
    expect(validateSiren('000000000')).to.deep.equal({ ok: false, reason: 'all_zeros' });
  });

  it('says why a malformed SIREN is refused', () => {
    expect(validateSiren('')).to.deep.equal({ ok: false, reason: 'empty' });
    expect(validateSiren('   ')).to.deep.equal({ ok: false, reason: 'empty' });
    expect(validateSiren('12002701')).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(validateSiren(INSEE_HEAD_OFFICE_SIRET)).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(validateSiren('12O027016')).to.deep.equal({ ok: false, reason: 'invalid_characters' });
  });
});

describe('validateSiret', () => {
  it('accepts real SIRETs and returns their SIREN', () => {
    for (const siret of [
      INSEE_HEAD_OFFICE_SIRET,
      INSEE_SERVICE_PUBLIC_EXAMPLE_SIRET,
      STANDARD_EXAMPLE_PIVOT,
    ]) {
      expect(validateSiret(siret)).to.deep.equal({ ok: true, value: siret, siren: siret.slice(0, 9) });
    }
    expect(validateSiret('120 027 016 00563')).to.deep.equal({
      ok: true,
      value: INSEE_HEAD_OFFICE_SIRET,
      siren: INSEE_SIREN,
    });
  });

  it('refuses a SIRET with a wrong establishment key', () => {
    expect(validateSiret('12002701600564')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
  });

  it('refuses a SIRET whose SIREN part is not a valid SIREN even when the 14 digits pass Luhn', () => {
    // 12002701700xxx: SIREN 120027017 is invalid; pick the NIC key that makes the 14 digits pass Luhn.
    const candidate = Array.from({ length: 10 }, (_, key) => `1200270170001${key}`).find(passesLuhn)!;
    expect(passesLuhn(candidate)).to.equal(true);
    expect(validateSiret(candidate)).to.deep.equal({ ok: false, reason: 'bad_siren_checksum' });
  });

  it("accepts La Poste's head office, a plain Luhn number", () => {
    expect(validateSiret(LA_POSTE_HEAD_OFFICE_SIRET)).to.deep.equal({
      ok: true,
      value: LA_POSTE_HEAD_OFFICE_SIRET,
      siren: '356000000',
    });
  });

  it('accepts a La Poste establishment whose digits add up to a multiple of 5 although it fails Luhn', () => {
    // Cited as a La Poste establishment by public SIRET validators; digit sum 45.
    expect(passesLuhn('35600000049837')).to.equal(false);
    expect(validateSiret('35600000049837')).to.deep.include({ ok: true, value: '35600000049837' });
  });

  it('refuses a La Poste SIRET whose digit sum is not a multiple of 5, even when it passes Luhn', () => {
    expect(passesLuhn('35600000000014')).to.equal(true);
    expect(validateSiret('35600000000014')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
    expect(validateSiret('35600000049838')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
  });

  it('refuses the all-zero pivot of the Hinaura open data', () => {
    expect(validateSiret('00000000000000')).to.deep.equal({ ok: false, reason: 'all_zeros' });
  });

  it('says why a malformed SIRET is refused', () => {
    expect(validateSiret('')).to.deep.equal({ ok: false, reason: 'empty' });
    expect(validateSiret('1200270160056')).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(validateSiret('120027016005633')).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(validateSiret('12002701600A63')).to.deep.equal({ ok: false, reason: 'invalid_characters' });
  });

  it('catches every single-digit typo in a valid non-La Poste SIRET', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (position, shift) => {
        const digits = INSEE_HEAD_OFFICE_SIRET.split('');
        digits[position] = String((Number(digits[position]) + shift) % 10);
        expect(validateSiret(digits.join('')).ok).to.equal(false);
      }),
    );
  });
});
