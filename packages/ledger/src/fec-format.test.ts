import { expect } from 'chai';
import {
  entryLabel,
  FEC_COLUMNS,
  fecAmount,
  fecBaseName,
  fecDate,
  fecField,
  fecRow,
  isValidSiren,
  journalFor,
} from './fec-format';

describe('FEC formatting', () => {
  it('lists the 18 columns in the legal order', () => {
    expect(FEC_COLUMNS.join('|')).to.equal(
      'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|' +
        'EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise',
    );
  });

  it('writes amounts with a decimal comma and no grouping', () => {
    expect(fecAmount(123456n)).to.equal('1234,56');
    expect(fecAmount(0n)).to.equal('0,00');
    expect(fecAmount(5n)).to.equal('0,05');
    expect(fecAmount(123456789012n)).to.equal('1234567890,12');
  });

  it('writes dates AAAAMMJJ and names the file after the closing date', () => {
    expect(fecDate('2026-12-31')).to.equal('20261231');
    expect(fecBaseName('732829320', '2026-12-31')).to.equal('732829320FEC20261231');
  });

  it('keeps a row at 18 fields whatever the text holds', () => {
    expect(fecField('a|b\tc\r\nd')).to.equal('a b c d');
    expect(fecRow(['x|y', null, undefined, 'z'], '|').split('|')).to.deep.equal(['x y', '', '', 'z']);
  });

  it('checks SIREN numbers with Luhn, La Poste excepted', () => {
    expect(isValidSiren('732829320')).to.equal(true);
    expect(isValidSiren('732829321')).to.equal(false);
    expect(isValidSiren('356000000')).to.equal(true);
    expect(isValidSiren('12345678')).to.equal(false);
  });

  it('puts bank movements in BQ, voucher movements in PN, fees in VT, the rest in OD', () => {
    expect(journalFor('funding_received').code).to.equal('BQ');
    expect(journalFor('payout_sent').code).to.equal('BQ');
    expect(journalFor('redemption').code).to.equal('PN');
    expect(journalFor('expiry').code).to.equal('PN');
    expect(journalFor('fee_charged').code).to.equal('VT');
    expect(journalFor('manual_adjustment').code).to.equal('OD');
    expect(journalFor('something_new').code).to.equal('OD');
  });

  it('files a reversal in the journal of the entry it reverses', () => {
    expect(journalFor('reversal', 'payout_sent').code).to.equal('BQ');
    expect(journalFor('reversal', null).code).to.equal('OD');
  });

  it('labels entries in French', () => {
    expect(entryLabel('redemption')).to.equal('Utilisation de pass');
    expect(entryLabel('brand_new_kind')).to.equal('brand new kind');
  });
});
