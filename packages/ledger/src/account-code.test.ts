import { expect } from 'chai';
import {
  accountKind,
  accounts,
  isDebitNormal,
  naturalBalance,
  parseAccountCode,
  tryParseAccountCode,
} from './account-code';

const FUNDER = '6f1c1c1e-2b9a-4c4e-9a57-6d3f1f0a8b11';

describe('account codes', () => {
  it('builds the codes of DESIGN §4', () => {
    expect(accounts.operatorBank()).to.equal('operator:bank');
    expect(accounts.operatorFees()).to.equal('operator:fees');
    expect(accounts.funderPrepaid(FUNDER)).to.equal(`funder:${FUNDER}:prepaid`);
    expect(accounts.funderVouchersOutstanding(FUNDER)).to.equal(`funder:${FUNDER}:vouchers_outstanding`);
    expect(accounts.funderCreditNotes(FUNDER)).to.equal(`funder:${FUNDER}:credit_notes`);
    expect(accounts.associationPayable(FUNDER)).to.equal(`association:${FUNDER}:payable`);
  });

  it('lower-cases owner ids so one funder never gets two accounts', () => {
    expect(accounts.funderPrepaid(FUNDER.toUpperCase())).to.equal(accounts.funderPrepaid(FUNDER));
  });

  it('refuses an owner id that is not a uuid', () => {
    expect(() => accounts.funderPrepaid('42'))
      .to.throw()
      .with.property('code', 'validation_failed');
    expect(() => accounts.associationPayable(`${FUNDER}:x`)).to.throw();
  });

  it('gives each account its kind', () => {
    expect(accountKind('operator:bank')).to.equal('asset');
    expect(accountKind('operator:fees')).to.equal('revenue');
    expect(accountKind('operator:vat_collected')).to.equal('liability');
    expect(accountKind(accounts.funderVouchersOutstanding(FUNDER))).to.equal('liability');
    expect(accountKind(accounts.associationPayable(FUNDER))).to.equal('liability');
  });

  it('parses owner and purpose', () => {
    expect(parseAccountCode(accounts.funderCreditNotes(FUNDER))).to.deep.equal({
      code: `funder:${FUNDER}:credit_notes`,
      ownerType: 'funder',
      ownerId: FUNDER,
      purpose: 'credit_notes',
      kind: 'liability',
    });
    expect(parseAccountCode('operator:bank').ownerId).to.equal(null);
  });

  for (const code of [
    'operator:cash',
    'funder:bank',
    `association:${FUNDER}:prepaid`,
    `funder:${FUNDER.toUpperCase()}:prepaid`,
    `funder:${FUNDER}:prepaid:x`,
    '',
  ]) {
    it(`refuses the unknown code ${JSON.stringify(code)}`, () => {
      expect(tryParseAccountCode(code)).to.equal(undefined);
      expect(() => parseAccountCode(code))
        .to.throw()
        .with.property('code', 'validation_failed');
    });
  }

  it('reads balances in the natural sign of the kind', () => {
    expect(isDebitNormal('asset')).to.equal(true);
    expect(isDebitNormal('liability')).to.equal(false);
    expect(naturalBalance('asset', 500n, 200n)).to.equal(300n);
    expect(naturalBalance('liability', 500n, 200n)).to.equal(-300n);
    expect(naturalBalance('revenue', 0n, 70n)).to.equal(70n);
  });
});
