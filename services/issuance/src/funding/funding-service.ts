import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import type { Db } from '@pass/db';
import { NotFoundError, UnprocessableError } from '@pass/errors';
import { type AppContext, inIdempotentTransaction } from '@pass/http';
import { accounts, credit, debit, type LineInput, post } from '@pass/ledger';
import { Money } from '@pass/money';
import {
  batchReference,
  batchVoucherCounts,
  businessDate,
  getBatch,
  recordVoucherEvents,
  transitionBatch,
} from '@pass/vouchers';
import { actorOf } from '../access';
import { decideActivation, decideFunding } from '../batches/batch-rules';
import type { FundingBody } from '../batches/batch-schemas';
import { loadViewOf } from '../batches/batch-view';
import { getOrder } from '../batches/order-store';
import { getGeneration } from '../generation/generation-store';
import { batchRefusalError } from '../issuance-errors';
import { findFunding, insertFunding } from './funding-store';

const METHOD_LABELS = { mandate: 'mandat', bank_transfer: 'virement' } as const;

/**
 * Money in: the operator's finance staff record the funder's payment (it must equal the quote), which
 * credits the funder's prepaid account; activation then moves prepaid to vouchers outstanding and makes
 * the passes usable. Both are money-moving POSTs under an Idempotency-Key, with the ledger entries in the
 * same transaction as the state change.
 */
export class FundingService {
  constructor(private readonly ctx: AppContext) {}

  /** Records the funding: bank debit = prepaid (face total) + fees + VAT credits. */
  async recordFunding(
    principal: Principal,
    batchId: string,
    body: FundingBody,
    idempotencyKey: string,
    requestId?: string,
  ) {
    const now = this.ctx.clock();
    return inIdempotentTransaction(
      this.ctx.knex,
      {
        scope: `issuance:${principal.subjectId}`,
        key: idempotencyKey,
        request: { batchId, funding: body },
        now,
      },
      async (trx) => {
        const batch = await lockedBatch(trx, batchId);
        const order = await getOrder(trx, batch);
        if (!order) throw new NotFoundError('batch_not_found', 'No such batch.');
        const amount = Money.parse(body.amount.amount);
        if (body.receivedOn > businessDate(now, this.ctx.config.businessTimezone)) {
          throw new UnprocessableError('received_in_future', 'The funding cannot be received after today.', {
            details: { receivedOn: body.receivedOn },
          });
        }
        const decision = decideFunding(
          batch,
          (await findFunding(trx, batchId)) !== undefined,
          order.quote.total,
          amount,
        );
        if (!decision.ok) throw batchRefusalError(decision.refusal);

        const { quote } = order;
        const reference = batchReference(batch.number);
        const lines: LineInput[] = [
          debit(accounts.operatorBank(), quote.total.toCents()),
          credit(accounts.funderPrepaid(batch.funderId), quote.faceTotal.toCents()),
        ];
        // The ledger refuses zero lines: a contract without fee (or without VAT) has no such line.
        if (quote.upstreamFee.isPositive())
          lines.push(credit(accounts.operatorFees(), quote.upstreamFee.toCents()));
        if (quote.vat.isPositive()) lines.push(credit(accounts.operatorVatCollected(), quote.vat.toCents()));
        const entry = await post(trx, {
          kind: 'funding_received',
          reference: `batch:${batchId}`,
          actor: actorOf(principal),
          idempotencyKey: `funding:${batchId}`,
          effectiveDate: body.receivedOn,
          description: `Financement ${reference} (${METHOD_LABELS[body.method]} ${body.reference})`,
          lines,
        });
        await insertFunding(trx, {
          batchId,
          amount,
          method: body.method,
          reference: body.reference,
          receivedOn: body.receivedOn,
          ledgerEntryId: entry.id,
          recordedBy: actorOf(principal),
          recordedAt: now,
        });
        await recordVoucherEvents(trx, [
          {
            batchId,
            kind: 'batch.funded',
            actor: actorOf(principal),
            at: now,
            reference: `ledger:${entry.id}`,
            details: { method: body.method, reference: body.reference, amount: amount.toString() },
          },
        ]);
        await recordAudit(trx, {
          actor: principal,
          action: 'batch.funding_recorded',
          targetType: 'batch',
          targetId: batchId,
          organisationId: batch.funderId,
          summary: { amount: amount.toString(), method: body.method, ledgerEntryId: entry.id },
          requestId,
          at: now,
        });
        return { status: 201, body: await loadViewOf(trx, batch, now) };
      },
    );
  }

  /**
   * awaiting_funding → active. Moves the face value of the passes still available (a pass cancelled
   * before activation stays in prepaid) from prepaid to vouchers outstanding. No pass row is touched:
   * usability is "available AND batch active".
   */
  async activate(principal: Principal, batchId: string, idempotencyKey: string, requestId?: string) {
    const now = this.ctx.clock();
    return inIdempotentTransaction(
      this.ctx.knex,
      {
        scope: `issuance:${principal.subjectId}`,
        key: idempotencyKey,
        request: { batchId, activate: true },
        now,
      },
      async (trx) => {
        const batch = await lockedBatch(trx, batchId);
        const funded = (await findFunding(trx, batchId)) !== undefined;
        const decision = decideActivation(batch, funded, await getGeneration(trx, batchId));
        if (!decision.ok) throw batchRefusalError(decision.refusal);
        const { available } = await batchVoucherCounts(trx, batchId);
        const amount = Money.fromCents(batch.faceValueCents).times(available);
        let entryId: string | null = null;
        if (amount.isPositive()) {
          const entry = await post(trx, {
            kind: 'batch_activated',
            reference: `batch:${batchId}`,
            actor: actorOf(principal),
            idempotencyKey: `activation:${batchId}`,
            description: `Activation ${batchReference(batch.number)} (${available} pass)`,
            lines: [
              debit(accounts.funderPrepaid(batch.funderId), amount.toCents()),
              credit(accounts.funderVouchersOutstanding(batch.funderId), amount.toCents()),
            ],
          });
          entryId = entry.id;
        }
        const active = await transitionBatch(
          trx,
          batchId,
          { from: ['awaiting_funding'], to: 'active' },
          {
            actor: actorOf(principal),
            at: now,
            reference: entryId ? `ledger:${entryId}` : null,
            details: { passes: available, amount: amount.toString() },
          },
        );
        if (!active) throw batchRefusalError({ reason: 'batch_not_awaiting_funding', status: batch.status });
        await recordAudit(trx, {
          actor: principal,
          action: 'batch.activated',
          targetType: 'batch',
          targetId: batchId,
          organisationId: batch.funderId,
          summary: { passes: available, amount: amount.toString(), ledgerEntryId: entryId },
          requestId,
          at: now,
        });
        return { status: 200, body: await loadViewOf(trx, active, now) };
      },
    );
  }
}

async function lockedBatch(trx: Db, batchId: string) {
  const batch = await getBatch(trx, batchId, { forUpdate: true });
  if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
  return batch;
}
