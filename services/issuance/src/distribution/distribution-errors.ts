import { type AppError, ConflictError, NotFoundError, UnprocessableError } from '@pass/errors';
import { MAX_BOOKLETS_PER_MOVE } from './booklet-ranges';
import type { DistributionRefusal } from './distribution-rules';

/** Booklet numbers named in a `booklets_handed_out` problem (the count says how many in all). */
const MAX_BOOKLETS_LISTED = 20;

/** problem+json for a refused stock movement or hand-out (nothing has been changed). */
export function distributionError(refusal: DistributionRefusal): AppError {
  switch (refusal.reason) {
    case 'batch_not_submitted':
      return new ConflictError(
        'batch_not_submitted',
        `The batch is ${refusal.status}: its booklets cannot move.`,
        {
          details: { status: refusal.status },
        },
      );
    case 'booklet_range_invalid':
      return new UnprocessableError(
        'booklet_range_invalid',
        `Booklet ranges go from 1 to ${refusal.bookletCount}, first <= last, at most ${MAX_BOOKLETS_PER_MOVE} booklets.`,
        { details: { bookletCount: refusal.bookletCount } },
      );
    case 'serial_out_of_range':
      return new UnprocessableError(
        'serial_out_of_range',
        `Serials of this batch go from 1 to ${refusal.voucherCount}.`,
        {
          details: { voucherCount: refusal.voucherCount },
        },
      );
    case 'distributor_not_of_funder':
      return new UnprocessableError(
        'distributor_not_of_funder',
        'This distributor does not work for the funder of the batch.',
      );
    case 'same_distributor':
      return new UnprocessableError('same_distributor', 'The booklets are already with this distributor.');
    case 'booklets_already_held':
      return new ConflictError(
        'booklets_already_held',
        `${refusal.requested - refusal.free} of the ${refusal.requested} booklets are already in a distributor's stock.`,
        { details: { requested: refusal.requested, free: refusal.free } },
      );
    case 'booklets_not_held':
      return new ConflictError(
        'booklets_not_held',
        `Only ${refusal.held} of the ${refusal.requested} booklets are in this distributor's stock.`,
        { details: { requested: refusal.requested, held: refusal.held } },
      );
    case 'booklets_handed_out': {
      const shown = refusal.booklets.slice(0, MAX_BOOKLETS_LISTED);
      const more =
        refusal.booklets.length > shown.length ? ` and ${refusal.booklets.length - shown.length} more` : '';
      return new ConflictError(
        'booklets_handed_out',
        `Booklet${refusal.booklets.length > 1 ? 's' : ''} ${shown.join(', ')}${more} ${refusal.booklets.length > 1 ? 'were' : 'was'} handed out to beneficiaries: no longer in any stock.`,
        { details: { booklets: shown, count: refusal.booklets.length } },
      );
    }
    case 'booklet_not_in_stock':
      return new NotFoundError('booklet_not_in_stock', 'This booklet is not in your stock.');
    case 'batch_not_active':
      return new ConflictError(
        'batch_not_active',
        `The batch is ${refusal.status}: its passes cannot be handed out yet.`,
        {
          details: { status: refusal.status },
        },
      );
    case 'distribution_closed':
      return new ConflictError(
        'distribution_closed',
        `Passes of this batch can no longer be handed out (from ${refusal.since}, 15 days before the end of validity).`,
        { details: { since: refusal.since } },
      );
    case 'nothing_to_hand_out':
      return new ConflictError(
        'nothing_to_hand_out',
        'Every pass of this selection is already handed out or unusable.',
      );
    default: {
      const unknown: never = refusal;
      throw new Error(`unmapped refusal ${JSON.stringify(unknown)}`);
    }
  }
}
