import { type Batch, businessDate, distributionStopDate } from '@pass/vouchers';
import { type BookletRange, isValidRange, MAX_BOOKLETS_PER_MOVE } from './booklet-ranges';

/** Why a stock movement or a hand-out is refused. */
export type DistributionRefusal =
  | { reason: 'batch_not_submitted'; status: Batch['status'] }
  | { reason: 'booklet_range_invalid'; bookletCount: number }
  | { reason: 'serial_out_of_range'; voucherCount: number }
  | { reason: 'distributor_not_of_funder' }
  | { reason: 'same_distributor' }
  | { reason: 'booklets_already_held'; requested: number; free: number }
  | { reason: 'booklets_not_held'; requested: number; held: number }
  | { reason: 'booklets_handed_out'; booklets: number[] }
  | { reason: 'booklet_not_in_stock' }
  | { reason: 'batch_not_active'; status: Batch['status'] }
  | { reason: 'distribution_closed'; since: string }
  | { reason: 'nothing_to_hand_out' };

export type DistributionDecision = { ok: true } | { ok: false; refusal: DistributionRefusal };

const OK: DistributionDecision = { ok: true };

/** Booklets move between the funder and distributors once the order is submitted (printing comes first). */
export function decideStockMove(
  batch: Pick<Batch, 'status' | 'bookletCount'>,
  range: BookletRange,
): DistributionDecision {
  if (batch.status !== 'awaiting_funding' && batch.status !== 'active') {
    return { ok: false, refusal: { reason: 'batch_not_submitted', status: batch.status } };
  }
  if (!isValidRange(range, batch.bookletCount)) {
    return { ok: false, refusal: { reason: 'booklet_range_invalid', bookletCount: batch.bookletCount } };
  }
  return OK;
}

/**
 * Handing passes to a beneficiary: only usable passes (batch active), and never from J-15 before
 * valid_until (DESIGN §3), so nobody receives a pass that expires before they can use it.
 */
export function decideHandOut(
  batch: Pick<Batch, 'status' | 'validUntil'>,
  now: Date,
  timeZone: string,
): DistributionDecision {
  if (batch.status !== 'active')
    return { ok: false, refusal: { reason: 'batch_not_active', status: batch.status } };
  const stop = distributionStopDate(batch);
  if (businessDate(now, timeZone) >= stop)
    return { ok: false, refusal: { reason: 'distribution_closed', since: stop } };
  return OK;
}

export { MAX_BOOKLETS_PER_MOVE };
