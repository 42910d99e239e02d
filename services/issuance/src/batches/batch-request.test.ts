import { expect } from 'chai';
import {
  type BatchRequest,
  checkBatchRequest,
  MAX_VOUCHERS_PER_BATCH,
  normaliseTerritory,
} from './batch-request';

function buildRequest(overrides: Partial<BatchRequest> = {}): BatchRequest {
  return {
    bookletSize: 10,
    bookletCount: 100,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    toleranceDays: 30,
    territory: { departements: ['07'], communes: ['26362'] },
    serviceCategories: ['maitrise-outils-numeriques'],
    wording: 'Offert par le Département.',
    ...overrides,
  };
}

const TODAY = '2026-02-01';

describe('batch request checks', () => {
  it('accepts a well-formed order and counts its passes', () => {
    expect(checkBatchRequest(buildRequest(), TODAY)).to.deep.equal({ ok: true, voucherCount: 1000 });
  });

  it('refuses zero passes', () => {
    const check = checkBatchRequest(buildRequest({ bookletCount: 0 }), TODAY);
    expect(check).to.deep.equal({
      ok: false,
      refusal: { reason: 'voucher_count_out_of_range', voucherCount: 0 },
    });
  });

  it('accepts exactly 2,000,000 passes and refuses one booklet more', () => {
    expect(
      checkBatchRequest(buildRequest({ bookletSize: 5, bookletCount: MAX_VOUCHERS_PER_BATCH / 5 }), TODAY).ok,
    ).to.equal(true);
    const check = checkBatchRequest(
      buildRequest({ bookletSize: 5, bookletCount: MAX_VOUCHERS_PER_BATCH / 5 + 1 }),
      TODAY,
    );
    expect(check.ok).to.equal(false);
    if (!check.ok)
      expect(check.refusal).to.deep.include({
        reason: 'voucher_count_out_of_range',
        voucherCount: 2_000_005,
      });
  });

  it('refuses a validity that ends before it starts, and accepts a one-day validity', () => {
    const check = checkBatchRequest(
      buildRequest({ validFrom: '2026-06-01', validUntil: '2026-05-31' }),
      TODAY,
    );
    expect(check.ok === false && check.refusal.reason).to.equal('invalid_validity_period');
    expect(
      checkBatchRequest(buildRequest({ validFrom: '2026-06-01', validUntil: '2026-06-01' }), TODAY).ok,
    ).to.equal(true);
  });

  it('refuses a validity already over', () => {
    const check = checkBatchRequest(
      buildRequest({ validFrom: '2025-01-01', validUntil: '2026-01-31' }),
      TODAY,
    );
    expect(check.ok === false && check.refusal.reason).to.equal('validity_already_over');
  });

  it('lists the unknown territory codes, départements and communes apart', () => {
    const check = checkBatchRequest(
      buildRequest({ territory: { departements: ['07', '99'], communes: ['07186', '00000'] } }),
      TODAY,
    );
    expect(check).to.deep.equal({
      ok: false,
      refusal: { reason: 'unknown_territory_codes', departements: ['99'], communes: ['00000'] },
    });
  });

  it('refuses unknown service categories', () => {
    const check = checkBatchRequest(
      buildRequest({ serviceCategories: ['maitrise-outils-numeriques', 'poterie'] }),
      TODAY,
    );
    expect(check).to.deep.equal({
      ok: false,
      refusal: { reason: 'unknown_service_categories', categories: ['poterie'] },
    });
  });

  it('normalises territory codes: trimmed, upper-case, unique, sorted', () => {
    expect(normaliseTerritory({ departements: [' 2a', '07', '07'], communes: ['2a004 '] })).to.deep.equal({
      departements: ['07', '2A'],
      communes: ['2A004'],
    });
  });
});
