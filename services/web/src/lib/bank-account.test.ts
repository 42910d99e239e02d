import { expect } from 'chai';
import { fieldErrorsOf } from '../api/error-messages';
import { bankAccountIssues, bicIssue, ibanIssue, normaliseBankAccount } from './bank-account';

describe('web: live bank account checks', () => {
  it('accepts a French IBAN typed with spaces, and a BIC of 8 or 11 characters', () => {
    expect(ibanIssue('FR76 3000 4000 0312 3456 7890 143')).to.equal(undefined);
    expect(ibanIssue('fr1420041010050500013m02606')).to.equal(undefined);
    expect(bicIssue('BNPAFRPPXXX')).to.equal(undefined);
    expect(bicIssue('psst frpp')).to.equal(undefined);
  });

  it('gives the server’s codes for what the server refuses', () => {
    // One digit changed: the ISO 7064 check fails.
    expect(ibanIssue('FR76 3000 4000 0312 3456 7890 144')).to.equal('iban_bad_checksum');
    expect(ibanIssue('FR76 3000 4000 0312 3456 7890')).to.equal('iban_wrong_length');
    expect(ibanIssue('FR76/3000')).to.equal('iban_invalid_characters');
    expect(ibanIssue('  ')).to.equal('iban_empty');
    expect(ibanIssue('TR33 0006 1005 1978 6457 8413 26')).to.equal('iban_not_sepa');
    expect(bicIssue('BNPAFRP')).to.equal('bic_wrong_format');
    expect(bicIssue('')).to.equal('bic_empty');
  });

  it('words every problem of a draft in French, next to its field', () => {
    const issues = bankAccountIssues({ iban: 'FR76 3000', bic: 'BNPA', accountHolderName: ' '.repeat(3) });
    expect(fieldErrorsOf({ errors: issues })).to.deep.equal({
      iban: 'L’IBAN n’a pas le bon nombre de caractères pour ce pays (27 pour la France).',
      bic: 'Un BIC compte 8 ou 11 lettres et chiffres, par exemple AGRIFRPP.',
      accountHolderName: 'Le nom du titulaire compte de 1 à 70 caractères.',
    });
    expect(
      bankAccountIssues({
        iban: 'FR7630004000031234567890143',
        bic: 'BNPAFRPP',
        accountHolderName: 'X'.repeat(71),
      }),
    ).to.have.length(1);
  });

  it('normalises a draft the way the API stores it', () => {
    expect(
      normaliseBankAccount({
        iban: 'fr76 3000 4000 0312 3456 7890 143',
        bic: 'bnpa frpp',
        accountHolderName: ' Asso ',
      }),
    ).to.deep.equal({ iban: 'FR7630004000031234567890143', bic: 'BNPAFRPP', accountHolderName: 'Asso' });
  });
});
