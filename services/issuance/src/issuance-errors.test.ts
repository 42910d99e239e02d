import { Money } from '@pass/money';
import { expect } from 'chai';
import type { BatchRequestRefusal } from './batches/batch-request';
import type { BatchRefusal } from './batches/batch-rules';
import { distributionError } from './distribution/distribution-errors';
import type { DistributionRefusal } from './distribution/distribution-rules';
import { batchRefusalError, batchRequestError } from './issuance-errors';

describe('issuance refusals as problem+json', () => {
  it('gives every order refusal its own stable code and a 422', () => {
    const refusals: BatchRequestRefusal[] = [
      { reason: 'voucher_count_out_of_range', voucherCount: 0 },
      { reason: 'invalid_validity_period', validFrom: '2026-02-01', validUntil: '2026-01-01' },
      { reason: 'validity_already_over', validUntil: '2020-01-01' },
      { reason: 'unknown_territory_codes', departements: ['99'], communes: [] },
      { reason: 'unknown_service_categories', categories: ['x'] },
    ];
    for (const refusal of refusals) {
      const error = batchRequestError(refusal);
      expect(error.status).to.equal(422);
      expect(error.code).to.equal(refusal.reason);
    }
  });

  it('tells the expected amount when funding does not match the quote', () => {
    const error = batchRefusalError({
      reason: 'funding_amount_mismatch',
      expected: Money.parse('10480.00'),
      received: Money.parse('10400.00'),
    });
    expect(error.status).to.equal(422);
    expect(error.details).to.deep.equal({
      expected: { amount: '10480.00', currency: 'EUR' },
      received: { amount: '10400.00', currency: 'EUR' },
    });
  });

  it('maps every batch and distribution refusal to its reason as code', () => {
    const batch: BatchRefusal[] = [
      { reason: 'batch_not_draft', status: 'active' },
      { reason: 'batch_not_awaiting_funding', status: 'draft' },
      { reason: 'batch_already_funded' },
      { reason: 'batch_not_funded' },
      { reason: 'generation_incomplete', generated: 1, total: 2 },
      { reason: 'batch_already_closed' },
      { reason: 'batch_funded_not_active' },
      { reason: 'batch_has_usable_vouchers', available: 1 },
    ];
    for (const refusal of batch) expect(batchRefusalError(refusal).code).to.equal(refusal.reason);
    const distribution: DistributionRefusal[] = [
      { reason: 'batch_not_submitted', status: 'draft' },
      { reason: 'booklet_range_invalid', bookletCount: 2 },
      { reason: 'serial_out_of_range', voucherCount: 20 },
      { reason: 'distributor_not_of_funder' },
      { reason: 'same_distributor' },
      { reason: 'booklets_already_held', requested: 2, free: 1 },
      { reason: 'booklets_not_held', requested: 2, held: 1 },
      { reason: 'booklet_not_in_stock' },
      { reason: 'batch_not_active', status: 'awaiting_funding' },
      { reason: 'distribution_closed', since: '2026-12-16' },
      { reason: 'nothing_to_hand_out' },
    ];
    for (const refusal of distribution) expect(distributionError(refusal).code).to.equal(refusal.reason);
  });
});
