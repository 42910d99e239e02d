import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import type { Db } from '@pass/db';
import { ConflictError, NotFoundError, UnprocessableError } from '@pass/errors';
import { type AppContext, inIdempotentTransaction } from '@pass/http';
import { accounts, credit, debit, post } from '@pass/ledger';
import { Money } from '@pass/money';
import { checkVoucherCode, voucherLookupHash } from '@pass/voucher-code';
import {
  type Batch,
  cancelVouchers,
  findVoucherByLookupHash,
  getBatch,
  serialsOfBooklet,
  type VoucherSelection,
} from '@pass/vouchers';
import { actorOf, assertFunderAccess } from '../access';
import { toRanges } from '../distribution/booklet-ranges';
import type { CancellationBody } from './cancellation-schemas';

/** Passes one cancellation may cover (a range beyond is split by the caller). */
export const MAX_PASSES_PER_CANCELLATION = 100_000;

/**
 * Revocation (issue #5 §6): the funder cancels a lost or stolen pass, booklet or range with a reason. Only
 * passes still available change; once the batch is active, their face value goes back from vouchers
 * outstanding to prepaid in the same transaction. Redemption then refuses them with that reason.
 */
export class CancellationService {
  constructor(private readonly ctx: AppContext) {}

  async cancel(
    principal: Principal,
    batchId: string,
    body: CancellationBody,
    idempotencyKey: string,
    requestId?: string,
  ) {
    const now = this.ctx.clock();
    return inIdempotentTransaction(
      this.ctx.knex,
      {
        scope: `issuance:${principal.subjectId}`,
        key: idempotencyKey,
        request: { batchId, cancellation: body },
        now,
      },
      async (trx) => {
        const batch = await getBatch(trx, batchId, { forUpdate: true });
        if (!batch) throw new NotFoundError('batch_not_found', 'No such batch.');
        assertFunderAccess(principal, batch.funderId);
        if (batch.status === 'draft' || batch.status === 'closed') {
          throw new ConflictError(
            'batch_not_cancellable',
            `The batch is ${batch.status}: it has no pass to cancel.`,
            {
              details: { status: batch.status },
            },
          );
        }
        const selection = await this.selection(trx, batch, body.target);
        const id = randomUUID();
        const actor = actorOf(principal);
        const changed = await cancelVouchers(trx, selection, body.reason, {
          actor,
          at: now,
          reference: `cancellation:${id}`,
          details: body.note ? { note: body.note } : {},
        });
        if (changed.length === 0) {
          throw new ConflictError('nothing_to_cancel', 'No pass of this selection is still available.');
        }
        const amount = Money.fromCents(batch.faceValueCents).times(changed.length);
        let ledgerEntryId: string | null = null;
        // Before activation nothing is outstanding yet: activation will move only the passes still available.
        if (batch.status === 'active') {
          const entry = await post(trx, {
            kind: 'voucher_cancelled',
            reference: `cancellation:${id}`,
            actor,
            idempotencyKey: `cancellation:${id}`,
            description: `Annulation de ${changed.length} pass (${body.reason})`,
            lines: [
              debit(accounts.funderVouchersOutstanding(batch.funderId), amount.toCents()),
              credit(accounts.funderPrepaid(batch.funderId), amount.toCents()),
            ],
          });
          ledgerEntryId = entry.id;
        }
        const ranges = toRanges(changed.map((voucher) => voucher.serial));
        await trx('issuance.cancellations').insert({
          id,
          batch_id: batchId,
          target: JSON.stringify(
            body.target.kind === 'code' ? { kind: 'code', serial: changed[0]!.serial } : body.target,
          ),
          reason: body.reason,
          note: body.note ?? null,
          cancelled: changed.length,
          amount_cents: amount.toCentsString(),
          ledger_entry_id: ledgerEntryId,
          actor,
          at: now,
        });
        await recordAudit(trx, {
          actor: principal,
          action: 'passes.cancelled',
          targetType: 'batch',
          targetId: batchId,
          organisationId: batch.funderId,
          summary: { cancellationId: id, reason: body.reason, passes: changed.length, ranges },
          requestId,
          at: now,
        });
        return {
          status: 201,
          body: {
            id,
            batchId,
            reason: body.reason,
            cancelled: changed.length,
            ranges,
            amount: amount.toJSON(),
            ledgerEntryId,
          },
        };
      },
    );
  }

  private async selection(
    trx: Db,
    batch: Batch,
    target: CancellationBody['target'],
  ): Promise<VoucherSelection> {
    const outOfRange = () =>
      new UnprocessableError(
        'serial_out_of_range',
        `Serials of this batch go from 1 to ${batch.voucherCount}.`,
        {
          details: { voucherCount: batch.voucherCount },
        },
      );
    switch (target.kind) {
      case 'pass':
        if (target.serial > batch.voucherCount) throw outOfRange();
        return { batchId: batch.id, fromSerial: target.serial, toSerial: target.serial };
      case 'booklet': {
        if (target.booklet > batch.bookletCount) {
          throw new UnprocessableError(
            'booklet_range_invalid',
            `Booklets of this batch go from 1 to ${batch.bookletCount}.`,
          );
        }
        const serials = serialsOfBooklet(target.booklet, batch.bookletSize);
        return { batchId: batch.id, fromSerial: serials.from, toSerial: serials.to };
      }
      case 'range':
        if (target.fromSerial > target.toSerial || target.toSerial > batch.voucherCount) throw outOfRange();
        if (target.toSerial - target.fromSerial + 1 > MAX_PASSES_PER_CANCELLATION) {
          throw new UnprocessableError(
            'cancellation_too_large',
            `One cancellation covers at most ${MAX_PASSES_PER_CANCELLATION} passes.`,
          );
        }
        return { batchId: batch.id, fromSerial: target.fromSerial, toSerial: target.toSerial };
      case 'code': {
        const check = checkVoucherCode(target.code);
        if (!check.ok) {
          throw new UnprocessableError('invalid_voucher_code', `The code is not valid (${check.reason}).`, {
            details: { reason: check.reason },
          });
        }
        const voucher = await findVoucherByLookupHash(
          trx,
          voucherLookupHash(check.code, this.ctx.config.secrets.voucherHashKey),
        );
        if (!voucher || voucher.batchId !== batch.id)
          throw new NotFoundError('voucher_not_found', 'No such pass in this batch.');
        return { ids: [voucher.id] };
      }
      default: {
        const unknown: never = target;
        throw new Error(`unknown cancellation target ${JSON.stringify(unknown)}`);
      }
    }
  }
}
