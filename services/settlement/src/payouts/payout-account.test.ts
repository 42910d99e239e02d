import { expect } from 'chai';
import { type PayoutAccountRow, payoutAccountOf } from './payout-account';

function buildAccount(overrides: Partial<PayoutAccountRow> = {}): PayoutAccountRow {
  return {
    association_id: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    legal_name: 'Association Inforoutes de l’Ardèche',
    account_holder_name: 'ASSOCIATION INFOROUTES ARDECHE',
    iban: 'FR76 3000 1007 9412 3456 7890 185',
    bic: 'BDFEFRPPCCT',
    street_name: 'Rue des Écoliers',
    building_number: '20',
    postcode: '07440',
    town: 'Alboussière',
    country: 'FR',
    payouts_held: false,
    hold_reason: null,
    ...overrides,
  };
}

describe('payout account', () => {
  it('pays an approved account with a structured, transliterated address', () => {
    const account = payoutAccountOf(buildAccount());
    expect(account.ok).to.equal(true);
    if (!account.ok) return;
    expect(account.creditor.iban).to.equal('FR7630001007941234567890185');
    expect(account.creditor.address).to.deep.equal({
      streetName: 'Rue des Ecoliers',
      buildingNumber: '20',
      postCode: '07440',
      townName: 'Alboussiere',
      country: 'FR',
    });
  });

  it('holds the payout of a flagged association, a pending bank change, or missing details', () => {
    expect(payoutAccountOf(buildAccount({ payouts_held: true, hold_reason: 'flagged' }))).to.deep.equal({
      ok: false,
      reason: 'flagged',
    });
    expect(
      payoutAccountOf(buildAccount({ payouts_held: true, hold_reason: 'bank_change_pending' })),
    ).to.deep.equal({
      ok: false,
      reason: 'bank_change_pending',
    });
    expect(payoutAccountOf(buildAccount({ iban: null }))).to.deep.equal({
      ok: false,
      reason: 'bank_details_missing',
    });
    expect(payoutAccountOf(undefined)).to.deep.equal({ ok: false, reason: 'bank_details_missing' });
  });

  it('holds the payout of an account with an invalid IBAN and says why', () => {
    expect(payoutAccountOf(buildAccount({ iban: 'FR7630001007941234567890186' }))).to.deep.equal({
      ok: false,
      reason: 'invalid_account',
      detail: 'invalid_iban',
    });
    expect(payoutAccountOf(buildAccount({ iban: 'US64SVBKUS6S3300958879' })).ok).to.equal(false);
  });
});
