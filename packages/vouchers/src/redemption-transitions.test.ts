import { expect } from 'chai';
import fc from 'fast-check';
import { voucherRefusals } from './redemption-transitions';
import {
  BATCH_STATUSES,
  type Batch,
  checkVoucherUsable,
  VOUCHER_STATUSES,
  type VoucherWithBatch,
} from './voucher-status';

function buildBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 1,
    funderId: '00000000-0000-4000-8000-000000000002',
    status: 'active',
    faceValueCents: 1000n,
    currency: 'EUR',
    bookletSize: 10,
    bookletCount: 1,
    voucherCount: 10,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    toleranceDays: 30,
    territory: { departements: [], communes: [] },
    serviceCategories: [],
    createdAt: new Date('2025-12-01T00:00:00Z'),
    submittedAt: null,
    activatedAt: null,
    closedAt: null,
    ...overrides,
  };
}

function buildVoucher(
  overrides: Partial<Omit<VoucherWithBatch, 'batch'>> = {},
  batch: Partial<Batch> = {},
): VoucherWithBatch {
  return {
    id: '1',
    batchId: '00000000-0000-4000-8000-000000000001',
    serial: 1,
    status: 'available',
    statusReason: null,
    statusChangedAt: null,
    distributedAt: null,
    ...overrides,
    batch: buildBatch(batch),
  };
}

const JUNE = new Date('2026-06-15T10:00:00Z');

describe('voucherRefusals', () => {
  it('finds nothing wrong with an available pass of an active batch inside its validity', () => {
    expect(
      voucherRefusals(buildVoucher(), JUNE, { venueInseeCode: '07007', serviceCategory: 'x' }),
    ).to.deep.equal([]);
  });

  it('lists every problem of a pass at once, not only the first', () => {
    const voucher = buildVoucher(
      {},
      {
        validUntil: '2026-03-31',
        toleranceDays: 0,
        territory: { departements: ['69'], communes: [] },
        serviceCategories: ['aide-demarches-administratives'],
      },
    );
    expect(
      voucherRefusals(voucher, JUNE, {
        venueInseeCode: '07007',
        serviceCategory: 'maitrise-outils-numeriques',
      }),
    ).to.deep.equal(['expired', 'outside_territory', 'category_not_allowed']);
  });

  it('accepts a pass during the tolerance days after valid_until, and refuses it the day after', () => {
    const voucher = buildVoucher({}, { validUntil: '2026-06-01', toleranceDays: 14 });
    expect(voucherRefusals(voucher, new Date('2026-06-15T21:00:00Z'))).to.deep.equal([]);
    // 22:30 UTC on the 15th is already the 16th in Paris (summer time): the business date decides.
    expect(voucherRefusals(voucher, new Date('2026-06-15T22:30:00Z'))).to.deep.equal(['expired']);
  });

  it('says not_yet_valid before valid_from and batch_not_active for a batch awaiting funding', () => {
    const voucher = buildVoucher({}, { status: 'awaiting_funding', validFrom: '2026-07-01' });
    expect(voucherRefusals(voucher, JUNE)).to.deep.equal(['batch_not_active', 'not_yet_valid']);
  });

  it('gives only the stored status for a pass that is no longer available', () => {
    expect(voucherRefusals(buildVoucher({ status: 'redeemed' }, { status: 'closed' }), JUNE)).to.deep.equal([
      'already_redeemed',
    ]);
    expect(
      voucherRefusals(buildVoucher({ status: 'cancelled', statusReason: 'stolen' }), JUNE),
    ).to.deep.equal(['cancelled']);
  });

  it('agrees with checkVoucherUsable: empty exactly when usable, and its reason comes first', () => {
    const dates = fc
      .integer({ min: 0, max: 800 })
      .map((d) => new Date(Date.UTC(2025, 10, 1) + d * 86_400_000));
    fc.assert(
      fc.property(
        fc.constantFrom(...VOUCHER_STATUSES),
        fc.constantFrom(...BATCH_STATUSES),
        dates,
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom<string[]>([], ['07'], ['69']),
        fc.constantFrom<string[]>([], ['maitrise-outils-numeriques'], ['aide-demarches-administratives']),
        fc.option(fc.constantFrom('07007', '69123', null), { nil: undefined }),
        fc.option(fc.constantFrom('maitrise-outils-numeriques', 'parentalite-education'), { nil: undefined }),
        (status, batchStatus, now, tolerance, departements, categories, insee, category) => {
          const voucher = buildVoucher(
            { status },
            {
              status: batchStatus,
              toleranceDays: tolerance,
              territory: { departements, communes: [] },
              serviceCategories: categories,
            },
          );
          const place = {
            ...(insee === undefined ? {} : { venueInseeCode: insee }),
            ...(category === undefined ? {} : { serviceCategory: category }),
          };
          const all = voucherRefusals(voucher, now, place);
          const first = checkVoucherUsable(voucher, now, place);
          if (first.ok) expect(all).to.deep.equal([]);
          else expect(all[0]).to.equal(first.reason);
        },
      ),
    );
  });
});
