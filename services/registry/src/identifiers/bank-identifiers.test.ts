import { expect } from 'chai';
import { validateBic, validateIban } from './bank-identifiers';

// ISO 13616 check digits, computed here independently of ibantools to build an IBAN whose only fault is
// inside its BBAN.
function withIbanCheckDigits(countryCode: string, bban: string): string {
  const rearranged = `${bban}${countryCode}00`.replace(/[A-Z]/g, (letter) =>
    String(letter.charCodeAt(0) - 55),
  );
  const check = 98n - (BigInt(rearranged) % 97n);
  return `${countryCode}${check.toString().padStart(2, '0')}${bban}`;
}

// IBANs from the SWIFT IBAN registry's published examples and the French banking example of the
// "clé RIB" (FR76 3000 6000 0112 3456 7890 189); BICs of real French banks.
describe('validateIban', () => {
  it('accepts French IBANs and returns them without spaces, as SEPA', () => {
    expect(validateIban('FR76 3000 6000 0112 3456 7890 189')).to.deep.equal({
      ok: true,
      value: 'FR7630006000011234567890189',
      countryCode: 'FR',
      sepa: true,
    });
    expect(validateIban('fr14 2004 1010 0505 0001 3m02 606')).to.deep.include({
      ok: true,
      value: 'FR1420041010050500013M02606',
    });
  });

  it('tells a SEPA country outside the euro area from a country outside SEPA', () => {
    expect(validateIban('GB82 WEST 1234 5698 7654 32')).to.deep.include({
      ok: true,
      countryCode: 'GB',
      sepa: true,
    });
    expect(validateIban('CH93 0076 2011 6238 5295 7')).to.deep.include({ ok: true, sepa: true });
    expect(validateIban('DE89 3704 0044 0532 0130 00')).to.deep.include({ ok: true, sepa: true });
    expect(validateIban('BR15 0000 0000 0000 1093 2840 814P 2')).to.deep.include({ ok: true, sepa: false });
  });

  it('refuses an IBAN whose check digits do not match', () => {
    expect(validateIban('FR1520041010050500013M02606')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
  });

  it('refuses a French IBAN whose RIB key is wrong even though its IBAN check digits are right', () => {
    expect(withIbanCheckDigits('FR', '30006000011234567890189')).to.equal('FR7630006000011234567890189');
    const wrongRibKey = withIbanCheckDigits('FR', '30006000011234567890188');
    expect(validateIban(wrongRibKey)).to.deep.equal({ ok: false, reason: 'bad_national_checksum' });
    expect(validateIban('FR7630006000011234567890188')).to.deep.equal({ ok: false, reason: 'bad_checksum' });
  });

  it('says why a malformed IBAN is refused', () => {
    expect(validateIban('')).to.deep.equal({ ok: false, reason: 'empty' });
    expect(validateIban('XX12 3456')).to.deep.equal({ ok: false, reason: 'unknown_country' });
    expect(validateIban('FR14 2004 1010 0505 000')).to.deep.equal({ ok: false, reason: 'wrong_length' });
    expect(validateIban('FR76 3000 6000 0112 3456 7890 18*')).to.deep.equal({
      ok: false,
      reason: 'invalid_characters',
    });
    expect(validateIban('FR76-3000-6000-0112-3456-7890-189')).to.deep.include({ ok: true });
  });
});

describe('validateBic', () => {
  it('accepts the BICs of BNP Paribas, La Banque Postale and the Banque de France', () => {
    expect(validateBic('BNPAFRPPXXX')).to.deep.equal({
      ok: true,
      value: 'BNPAFRPPXXX',
      countryCode: 'FR',
      sepa: true,
    });
    expect(validateBic('psst fr pp par')).to.deep.equal({
      ok: true,
      value: 'PSSTFRPPPAR',
      countryCode: 'FR',
      sepa: true,
    });
    expect(validateBic('BDFEFRPP')).to.deep.include({ ok: true, value: 'BDFEFRPP' });
  });

  it('refuses a BIC of the wrong length, with an unknown country, or with digits in the bank code', () => {
    expect(validateBic('BNPAFRP')).to.deep.equal({ ok: false, reason: 'wrong_format' });
    expect(validateBic('BNPA')).to.deep.equal({ ok: false, reason: 'wrong_format' });
    expect(validateBic('BNPAXXPP')).to.deep.equal({ ok: false, reason: 'unknown_country' });
    expect(validateBic('1NPAFRPP')).to.deep.equal({ ok: false, reason: 'wrong_format' });
    expect(validateBic('')).to.deep.equal({ ok: false, reason: 'empty' });
  });
});
