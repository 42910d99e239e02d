import { type AppError, ConflictError, UnprocessableError } from '@pass/errors';
import { MAX_VOUCHERS_PER_BATCH } from './batches/batch-request';
import type { BatchRequestRefusal } from './batches/batch-request';
import type { BatchRefusal } from './batches/batch-rules';

/** problem+json for a refused order (nothing has been written). */
export function batchRequestError(refusal: BatchRequestRefusal): AppError {
  switch (refusal.reason) {
    case 'voucher_count_out_of_range':
      return new UnprocessableError(
        'voucher_count_out_of_range',
        `An order holds 1 to ${MAX_VOUCHERS_PER_BATCH} passes; this one would hold ${refusal.voucherCount}.`,
        { details: { voucherCount: refusal.voucherCount, min: 1, max: MAX_VOUCHERS_PER_BATCH } },
      );
    case 'invalid_validity_period':
      return new UnprocessableError('invalid_validity_period', 'The validity ends before it starts.', {
        details: { validFrom: refusal.validFrom, validUntil: refusal.validUntil },
      });
    case 'validity_already_over':
      return new UnprocessableError('validity_already_over', 'The validity period is already over.', {
        details: { validUntil: refusal.validUntil },
      });
    case 'unknown_territory_codes':
      return new UnprocessableError(
        'unknown_territory_codes',
        'Some territory codes are not French départements or INSEE commune codes.',
        { details: { departements: refusal.departements, communes: refusal.communes } },
      );
    case 'unknown_service_categories':
      return new UnprocessableError('unknown_service_categories', 'Some service categories are unknown.', {
        details: { categories: refusal.categories },
      });
    default: {
      const unknown: never = refusal;
      throw new Error(`unmapped refusal ${JSON.stringify(unknown)}`);
    }
  }
}

/** problem+json for a refused batch transition. */
export function batchRefusalError(refusal: BatchRefusal): AppError {
  switch (refusal.reason) {
    case 'batch_not_draft':
      return new ConflictError('batch_not_draft', `The batch is ${refusal.status}, not a draft.`, {
        details: { status: refusal.status },
      });
    case 'batch_not_awaiting_funding':
      return new ConflictError(
        'batch_not_awaiting_funding',
        `The batch is ${refusal.status}, not awaiting funding.`,
        {
          details: { status: refusal.status },
        },
      );
    case 'batch_already_funded':
      return new ConflictError('batch_already_funded', 'The funding of this batch is already recorded.');
    case 'funding_amount_mismatch':
      return new UnprocessableError(
        'funding_amount_mismatch',
        `The funding must equal the quote: ${refusal.expected.toString()} EUR expected, ${refusal.received.toString()} EUR received.`,
        { details: { expected: refusal.expected.toJSON(), received: refusal.received.toJSON() } },
      );
    case 'batch_not_funded':
      return new ConflictError(
        'batch_not_funded',
        'The batch cannot be activated before its funding is recorded.',
      );
    case 'generation_incomplete':
      return new ConflictError(
        'generation_incomplete',
        'The passes of this batch are still being generated.',
        {
          details: { generated: refusal.generated, total: refusal.total },
        },
      );
    case 'batch_already_closed':
      return new ConflictError('batch_already_closed', 'The batch is already closed.');
    case 'batch_funded_not_active':
      return new ConflictError(
        'batch_funded_not_active',
        'A funded batch cannot be abandoned: activate it, then cancel or let its passes expire.',
      );
    case 'batch_has_usable_vouchers':
      return new ConflictError(
        'batch_has_usable_vouchers',
        `${refusal.available} passes of this batch are still usable: cancel them or wait for their expiry.`,
        { details: { available: refusal.available } },
      );
    default: {
      const unknown: never = refusal;
      throw new Error(`unmapped refusal ${JSON.stringify(unknown)}`);
    }
  }
}
