import type { Money } from '@pass/money';
import type { Batch, BatchVoucherCounts } from '@pass/vouchers';
import type { GenerationRecord } from '../generation/generation-progress';

// Transitions of an order, as pure decisions: each returns ok or a typed refusal that
// issuance-errors.ts maps to a problem+json with an exhaustive switch (a new reason cannot be forgotten).

/** Why a batch transition is refused. */
export type BatchRefusal =
  | { reason: 'batch_not_draft'; status: Batch['status'] }
  | { reason: 'batch_not_awaiting_funding'; status: Batch['status'] }
  | { reason: 'batch_already_funded' }
  | { reason: 'funding_amount_mismatch'; expected: Money; received: Money }
  | { reason: 'batch_not_funded' }
  | { reason: 'generation_incomplete'; generated: number; total: number }
  | { reason: 'batch_already_closed' }
  | { reason: 'batch_funded_not_active' }
  | { reason: 'batch_has_usable_vouchers'; available: number };

export type Decision = { ok: true } | { ok: false; refusal: BatchRefusal };

const OK: Decision = { ok: true };

/** draft → awaiting_funding. */
export function decideSubmit(batch: Pick<Batch, 'status'>): Decision {
  return batch.status === 'draft'
    ? OK
    : { ok: false, refusal: { reason: 'batch_not_draft', status: batch.status } };
}

/** Recording the funding: once, while awaiting funding, for exactly the quote's total. */
export function decideFunding(
  batch: Pick<Batch, 'status'>,
  alreadyFunded: boolean,
  quoteTotal: Money,
  amount: Money,
): Decision {
  if (alreadyFunded) return { ok: false, refusal: { reason: 'batch_already_funded' } };
  if (batch.status !== 'awaiting_funding') {
    return { ok: false, refusal: { reason: 'batch_not_awaiting_funding', status: batch.status } };
  }
  if (!amount.equals(quoteTotal)) {
    return {
      ok: false,
      refusal: { reason: 'funding_amount_mismatch', expected: quoteTotal, received: amount },
    };
  }
  return OK;
}

/** awaiting_funding → active: only once funded and once every pass exists. */
export function decideActivation(
  batch: Pick<Batch, 'status'>,
  funded: boolean,
  generation: Pick<GenerationRecord, 'state' | 'generated' | 'total'> | undefined,
): Decision {
  if (batch.status !== 'awaiting_funding') {
    return { ok: false, refusal: { reason: 'batch_not_awaiting_funding', status: batch.status } };
  }
  if (!funded) return { ok: false, refusal: { reason: 'batch_not_funded' } };
  if (generation?.state !== 'completed') {
    return {
      ok: false,
      refusal: {
        reason: 'generation_incomplete',
        generated: generation?.generated ?? 0,
        total: generation?.total ?? 0,
      },
    };
  }
  return OK;
}

/**
 * → closed. A draft or an unfunded order can be abandoned; a funded order must be activated first (its money
 * is in prepaid); an active batch closes once no pass is left usable (after expiry or cancellation).
 */
export function decideClose(
  batch: Pick<Batch, 'status'>,
  funded: boolean,
  counts: Pick<BatchVoucherCounts, 'available'>,
): Decision {
  switch (batch.status) {
    case 'closed':
      return { ok: false, refusal: { reason: 'batch_already_closed' } };
    case 'draft':
      return OK;
    case 'awaiting_funding':
      return funded ? { ok: false, refusal: { reason: 'batch_funded_not_active' } } : OK;
    case 'active':
      return counts.available > 0
        ? { ok: false, refusal: { reason: 'batch_has_usable_vouchers', available: counts.available } }
        : OK;
    default: {
      const unknown: never = batch.status;
      throw new Error(`unknown batch status ${String(unknown)}`);
    }
  }
}
