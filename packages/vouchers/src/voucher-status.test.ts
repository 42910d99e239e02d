import { expect } from 'chai';
import { bookletState } from './booklet-usage';
import {
  addDays,
  type Batch,
  batchReference,
  bookletOf,
  businessDate,
  checkVoucherUsable,
  displayState,
  distributionStopDate,
  lastAcceptedDate,
  serialLabel,
  serialsOfBooklet,
  type VoucherWithBatch,
} from './voucher-status';

function buildBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: '00000000-0000-4000-8000-00000000000b',
    number: 7,
    funderId: '00000000-0000-4000-8000-00000000000f',
    status: 'active',
    faceValueCents: 1000n,
    currency: 'EUR',
    bookletSize: 10,
    bookletCount: 10,
    voucherCount: 100,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    toleranceDays: 30,
    territory: { departements: ['07'], communes: [] },
    serviceCategories: ['maitrise-outils-numeriques'],
    createdAt: new Date('2025-12-01T00:00:00Z'),
    submittedAt: null,
    activatedAt: null,
    closedAt: null,
    ...overrides,
  };
}

function buildVoucher(
  overrides: Partial<VoucherWithBatch> = {},
  batch: Partial<Batch> = {},
): VoucherWithBatch {
  return {
    id: '1',
    batchId: '00000000-0000-4000-8000-00000000000b',
    serial: 1,
    status: 'available',
    statusReason: null,
    statusChangedAt: null,
    distributedAt: null,
    batch: buildBatch(batch),
    ...overrides,
  };
}

const JUNE = new Date('2026-06-15T10:00:00Z');

describe('voucher status vocabulary', () => {
  it('numbers booklets and serials: booklet 3 of size 10 holds serials 21..30', () => {
    expect(serialsOfBooklet(3, 10)).to.deep.equal({ from: 21, to: 30 });
    expect([
      bookletOf(21, 10),
      bookletOf(30, 10),
      bookletOf(31, 10),
      bookletOf(5, 5),
      bookletOf(6, 5),
    ]).to.deep.equal([3, 3, 4, 1, 2]);
  });

  it('labels batches and serials as printed', () => {
    expect(batchReference(42)).to.equal('LOT-000042');
    expect(serialLabel(42, 123)).to.equal('000042-0000123');
  });

  it('computes dates in the business time zone and across months', () => {
    expect(businessDate(new Date('2026-03-31T22:30:00Z'))).to.equal('2026-04-01');
    expect(businessDate(new Date('2026-01-31T22:30:00Z'))).to.equal('2026-01-31');
    expect(addDays('2026-12-31', 30)).to.equal('2027-01-30');
    expect(lastAcceptedDate({ validUntil: '2026-02-28', toleranceDays: 1 })).to.equal('2026-03-01');
    expect(distributionStopDate({ validUntil: '2026-12-31' })).to.equal('2026-12-16');
  });

  it('shows generated before activation, active, distributed, then the stored exits', () => {
    expect(
      displayState(
        { status: 'available', distributedAt: null },
        buildBatch({ status: 'awaiting_funding' }),
        JUNE,
      ),
    ).to.equal('generated');
    expect(displayState({ status: 'available', distributedAt: null }, buildBatch(), JUNE)).to.equal('active');
    expect(displayState({ status: 'available', distributedAt: JUNE }, buildBatch(), JUNE)).to.equal(
      'distributed',
    );
    expect(displayState({ status: 'redeemed', distributedAt: JUNE }, buildBatch(), JUNE)).to.equal(
      'redeemed',
    );
    expect(displayState({ status: 'cancelled', distributedAt: null }, buildBatch(), JUNE)).to.equal(
      'cancelled',
    );
  });

  it('shows expired once valid_until + tolerance is past even before the expiry job ran', () => {
    const batch = buildBatch({ validUntil: '2026-05-01', toleranceDays: 30 });
    expect(
      displayState({ status: 'available', distributedAt: null }, batch, new Date('2026-05-31T12:00:00Z')),
    ).to.equal('active');
    expect(
      displayState({ status: 'available', distributedAt: null }, batch, new Date('2026-06-01T12:00:00Z')),
    ).to.equal('expired');
  });

  it('accepts an available pass of an active batch inside its validity, territory and categories', () => {
    expect(
      checkVoucherUsable(buildVoucher(), JUNE, {
        venueInseeCode: '07186',
        serviceCategory: 'maitrise-outils-numeriques',
      }),
    ).to.deep.equal({ ok: true });
  });

  it('refuses a cancelled pass with the funder’s reason', () => {
    expect(
      checkVoucherUsable(buildVoucher({ status: 'cancelled', statusReason: 'stolen' }), JUNE),
    ).to.deep.equal({
      ok: false,
      reason: 'cancelled',
      cancelReason: 'stolen',
    });
  });

  it('refuses every pass of a batch not yet active (no pass is usable before activation)', () => {
    expect(checkVoucherUsable(buildVoucher({}, { status: 'awaiting_funding' }), JUNE)).to.deep.equal({
      ok: false,
      reason: 'batch_not_active',
    });
  });

  it('refuses outside dates, territory or categories', () => {
    expect(checkVoucherUsable(buildVoucher({}, { validFrom: '2026-07-01' }), JUNE)).to.deep.include({
      reason: 'not_yet_valid',
    });
    expect(
      checkVoucherUsable(buildVoucher({}, { validUntil: '2026-05-01', toleranceDays: 0 }), JUNE),
    ).to.deep.include({
      reason: 'expired',
    });
    expect(checkVoucherUsable(buildVoucher(), JUNE, { venueInseeCode: '69123' })).to.deep.include({
      reason: 'outside_territory',
    });
    expect(checkVoucherUsable(buildVoucher(), JUNE, { venueInseeCode: null })).to.deep.include({
      reason: 'outside_territory',
    });
    expect(
      checkVoucherUsable(buildVoucher(), JUNE, { serviceCategory: 'parentalite-education' }),
    ).to.deep.include({
      reason: 'category_not_allowed',
    });
    expect(checkVoucherUsable(buildVoucher({ status: 'settled' }), JUNE)).to.deep.include({
      reason: 'already_settled',
    });
  });

  it('calls a booklet started once a pass is used and finished once none is left available', () => {
    expect(bookletState({ distributed: 0, used: 0, available: 10 })).to.equal('issued');
    expect(bookletState({ distributed: 10, used: 0, available: 10 })).to.equal('distributed');
    expect(bookletState({ distributed: 10, used: 1, available: 9 })).to.equal('started');
    expect(bookletState({ distributed: 10, used: 8, available: 0 })).to.equal('finished');
  });
});
