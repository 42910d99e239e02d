import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import { accounts, credit, debit, post } from '@pass/ledger';
import { enqueueInTransaction } from '@pass/queue';
import { type Batch, batchReference, recordVoucherEvents, transitionBatch } from '@pass/vouchers';
import {
  activeBatchesNearingEnd,
  type ExpiryAlertCounts,
  expireAvailableInRange,
  expiryAlertCounts,
  expiryDue,
  expiryTimeline,
} from '@pass/vouchers';
import { businessDate, startOfDay, yearOf } from '../shared/business-time';
import { rowsOf, toBigint } from '../shared/db-values';
import { nextDocumentNumber } from '../shared/document-number';
import { SETTLEMENT_JOB_ACTOR, type SettlementDeps } from '../shared/settlement-deps';
import { loadFunderSnapshot } from './credit-notes';

/** The job that tells funders what happens to their passes (no e-mail system yet: it logs, see README). */
export const NOTIFY_FUNDER_JOB = 'settlement.notify-funder';

/** Passes expired per transaction. */
export const EXPIRY_CHUNK = 5000;

/** What a message to a funder carries. */
export type FunderNotice =
  | {
      kind: 'expiry_alert';
      funderId: string;
      batchId: string;
      batchReference: string;
      validUntil: string;
      counts: ExpiryAlertCounts;
    }
  | {
      kind: 'distribution_stopped';
      funderId: string;
      batchId: string;
      batchReference: string;
      validUntil: string;
    }
  | {
      kind: 'credit_note_issued';
      funderId: string;
      batchId: string;
      creditNoteId: string;
      number: string;
      amountCents: string;
    };

/** What one run of the daily expiry job did. */
export interface ExpirySummary {
  today: string;
  alerts: { batchId: string; counts: ExpiryAlertCounts }[];
  distributionStopped: string[];
  expired: { batchId: string; voucherCount: number; amountCents: string; creditNoteNumber: string | null }[];
}

/**
 * The daily expiry job (DESIGN §3): for each active batch near its end, the J-30 alert with its counts, the
 * end of distribution at J-15, and at valid_until + tolerance (once the undo window of the last day is over)
 * the expiry of the remaining passes into a numbered credit note. Each step is recorded once, so the job can
 * run any number of times a day; the expiry itself is chunked and resumes where it stopped.
 */
export async function runExpiry(
  deps: SettlementDeps,
  asOf: Date,
  options: { chunkSize?: number } = {},
): Promise<ExpirySummary> {
  const timeZone = deps.config.businessTimezone;
  const today = businessDate(asOf, timeZone);
  const summary: ExpirySummary = { today, alerts: [], distributionStopped: [], expired: [] };
  const batches = await activeBatchesNearingEnd(deps.knex, today);
  for (const batch of batches) {
    const timeline = expiryTimeline(batch);
    const undoWindowOver =
      asOf.getTime() >=
      startOfDay(timeline.expiryDate, timeZone).getTime() + deps.config.undoWindowHours * 3_600_000;
    const due = expiryDue(batch, today, undoWindowOver);
    if (due.alert) {
      const counts = await sendAlertOnce(deps, batch, asOf);
      if (counts) summary.alerts.push({ batchId: batch.id, counts });
    }
    if (due.stopDistribution && (await stopDistributionOnce(deps, batch, asOf))) {
      summary.distributionStopped.push(batch.id);
    }
    if (due.expire)
      summary.expired.push(await expireBatch(deps, batch, asOf, options.chunkSize ?? EXPIRY_CHUNK));
  }
  return summary;
}

async function sendAlertOnce(
  deps: SettlementDeps,
  batch: Batch,
  at: Date,
): Promise<ExpiryAlertCounts | undefined> {
  const counts = await expiryAlertCounts(deps.knex, batch);
  return deps.knex.transaction(async (trx) => {
    const rows = rowsOf<{ batch_id: string }>(
      await trx.raw(
        `insert into settlement.expiry_notices (batch_id, funder_id, alerted_at, alert_counts) values (?, ?, ?, ?)
         on conflict (batch_id) do update set alerted_at = excluded.alerted_at, alert_counts = excluded.alert_counts
           where settlement.expiry_notices.alerted_at is null
         returning batch_id`,
        [batch.id, batch.funderId, at, JSON.stringify(counts)],
      ),
    );
    if (rows.length === 0) return undefined;
    const notice: FunderNotice = {
      kind: 'expiry_alert',
      funderId: batch.funderId,
      batchId: batch.id,
      batchReference: batchReference(batch.number),
      validUntil: batch.validUntil,
      counts,
    };
    await enqueueInTransaction(trx, NOTIFY_FUNDER_JOB, notice);
    await recordAudit(trx, {
      actor: { kind: 'system', subjectId: SETTLEMENT_JOB_ACTOR },
      action: 'settlement.expiry_alert_sent',
      targetType: 'batch',
      targetId: batch.id,
      organisationId: batch.funderId,
      summary: { ...counts },
      at,
    });
    return counts;
  });
}

async function stopDistributionOnce(deps: SettlementDeps, batch: Batch, at: Date): Promise<boolean> {
  return deps.knex.transaction(async (trx) => {
    const rows = rowsOf<{ batch_id: string }>(
      await trx.raw(
        `insert into settlement.expiry_notices (batch_id, funder_id, distribution_stopped_at) values (?, ?, ?)
         on conflict (batch_id) do update set distribution_stopped_at = excluded.distribution_stopped_at
           where settlement.expiry_notices.distribution_stopped_at is null
         returning batch_id`,
        [batch.id, batch.funderId, at],
      ),
    );
    if (rows.length === 0) return false;
    // The refusal itself is the issuance service's (distributionStopDate); this records when it began.
    await recordVoucherEvents(trx, [
      {
        batchId: batch.id,
        kind: 'batch.distribution_stopped',
        actor: SETTLEMENT_JOB_ACTOR,
        at,
        reason: 'J-15',
      },
    ]);
    const notice: FunderNotice = {
      kind: 'distribution_stopped',
      funderId: batch.funderId,
      batchId: batch.id,
      batchReference: batchReference(batch.number),
      validUntil: batch.validUntil,
    };
    await enqueueInTransaction(trx, NOTIFY_FUNDER_JOB, notice);
    return true;
  });
}

/**
 * Expires what is left of a batch in serial chunks (each: the passes, one `expiry` entry moving their face
 * value from the funder's outstanding vouchers to its credit notes, the progress row), then issues the
 * numbered credit note and closes the batch in a last transaction.
 */
async function expireBatch(
  deps: SettlementDeps,
  batch: Batch,
  at: Date,
  chunkSize: number,
): Promise<ExpirySummary['expired'][number]> {
  const { knex } = deps;
  const timeZone = deps.config.businessTimezone;
  const effectiveDate = businessDate(at, timeZone);
  await knex.raw(
    `insert into settlement.batch_expiries (batch_id, funder_id, face_value_cents, voucher_total, status, started_at)
     values (?, ?, ?, ?, 'running', ?) on conflict (batch_id) do nothing`,
    [batch.id, batch.funderId, batch.faceValueCents.toString(), batch.voucherCount, at],
  );
  for (;;) {
    const more = await knex.transaction(async (trx) => {
      const progress = await trx('settlement.batch_expiries')
        .where({ batch_id: batch.id })
        .forUpdate()
        .first<{ status: string; next_serial: number; voucher_total: number }>();
      if (progress?.status !== 'running' || progress.next_serial > progress.voucher_total) return false;
      const from = Number(progress.next_serial);
      const to = Math.min(from + chunkSize - 1, Number(progress.voucher_total));
      const count = await expireAvailableInRange(trx, batch.id, from, to, {
        actor: SETTLEMENT_JOB_ACTOR,
        at,
        reference: `batch:${batch.id}`,
      });
      let amount = 0n;
      if (count > 0) {
        amount = batch.faceValueCents * BigInt(count);
        const entry = await post(trx, {
          kind: 'expiry',
          reference: `batch:${batch.id}`,
          actor: SETTLEMENT_JOB_ACTOR,
          description: `Expiration ${batchReference(batch.number)} (pass ${from} à ${to})`,
          effectiveDate,
          idempotencyKey: `settlement:expiry:${batch.id}:${from}`,
          lines: [
            debit(accounts.funderVouchersOutstanding(batch.funderId), amount),
            credit(accounts.funderCreditNotes(batch.funderId), amount),
          ],
        });
        await trx('settlement.expiry_postings').insert({
          batch_id: batch.id,
          from_serial: from,
          to_serial: to,
          voucher_count: count,
          amount_cents: amount.toString(),
          entry_id: entry.id,
        });
      }
      await trx('settlement.batch_expiries')
        .where({ batch_id: batch.id })
        .update({
          next_serial: to + 1,
          expired_count: trx.raw('expired_count + ?', [count]),
          amount_cents: trx.raw('amount_cents + ?::bigint', [amount.toString()]),
        });
      return true;
    });
    if (!more) break;
  }

  return knex.transaction(async (trx) => {
    const progress = await trx('settlement.batch_expiries').where({ batch_id: batch.id }).forUpdate().first<{
      status: string;
      expired_count: number;
      amount_cents: string;
      credit_note_id: string | null;
    }>();
    const count = Number(progress?.expired_count ?? 0);
    const amount = toBigint(progress?.amount_cents ?? '0');
    if (!progress || progress.status === 'completed') {
      const number = progress?.credit_note_id
        ? ((
            await trx('settlement.credit_notes')
              .where({ id: progress.credit_note_id })
              .first<{ number: string }>('number')
          )?.number ?? null)
        : null;
      return {
        batchId: batch.id,
        voucherCount: count,
        amountCents: amount.toString(),
        creditNoteNumber: number,
      };
    }
    let creditNote: { id: string; number: string } | null = null;
    if (count > 0) {
      const numbered = await nextDocumentNumber(trx, 'credit_note', yearOf(effectiveDate));
      const id = randomUUID();
      await trx('settlement.credit_notes').insert({
        id,
        number: numbered.number,
        year: numbered.year,
        sequence: numbered.sequence,
        funder_id: batch.funderId,
        batch_id: batch.id,
        batch_reference: batchReference(batch.number),
        voucher_count: count,
        amount_cents: amount.toString(),
        issue_date: effectiveDate,
        funder: JSON.stringify(await loadFunderSnapshot(trx, batch.funderId)),
        status: 'issued',
        issued_at: at,
      });
      creditNote = { id, number: numbered.number };
      const notice: FunderNotice = {
        kind: 'credit_note_issued',
        funderId: batch.funderId,
        batchId: batch.id,
        creditNoteId: id,
        number: numbered.number,
        amountCents: amount.toString(),
      };
      await enqueueInTransaction(trx, NOTIFY_FUNDER_JOB, notice);
    }
    await transitionBatch(
      trx,
      batch.id,
      { from: ['active'], to: 'closed' },
      {
        actor: SETTLEMENT_JOB_ACTOR,
        at,
        reference: creditNote ? `credit_note:${creditNote.id}` : null,
        details: { expired: count },
      },
    );
    await trx('settlement.batch_expiries')
      .where({ batch_id: batch.id })
      .update({ status: 'completed', credit_note_id: creditNote?.id ?? null, completed_at: at });
    await recordAudit(trx, {
      actor: { kind: 'system', subjectId: SETTLEMENT_JOB_ACTOR },
      action: 'settlement.batch_expired',
      targetType: 'batch',
      targetId: batch.id,
      organisationId: batch.funderId,
      summary: { expired: count, amount: amount.toString(), creditNote: creditNote?.number ?? null },
      at,
    });
    return {
      batchId: batch.id,
      voucherCount: count,
      amountCents: amount.toString(),
      creditNoteNumber: creditNote?.number ?? null,
    };
  });
}
