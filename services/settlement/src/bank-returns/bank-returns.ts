import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import type { Principal } from '@pass/auth';
import type { Db } from '@pass/db';
import { ConflictError, NotFoundError, UnprocessableError } from '@pass/errors';
import { reverse } from '@pass/ledger';
import { type BankOutcome, confirmTransition, type Payout } from '../payouts/payout';
import { findPayout, markPaid, markRejected } from '../payouts/payout-store';
import {
  type CamtTransaction,
  decimalToCents,
  parseCamt054,
  payoutIdFromEndToEndId,
  SepaError,
} from '../sepa';
import { actorOf } from '../shared/access';
import { businessDate } from '../shared/business-time';
import { toJson } from '../shared/db-values';
import type { SettlementDeps } from '../shared/settlement-deps';

/** What became of one line of a bank file. */
export type LineOutcome = 'paid' | 'rejected' | 'unmatched' | 'duplicate' | 'ignored';

/** One line of the import report. */
export interface BankLineReport {
  lineNo: number;
  endToEndId: string | null;
  payoutId: string | null;
  amount: string;
  currency: string;
  creditDebit: 'CRDT' | 'DBIT';
  status: CamtTransaction['status'];
  reasonCode: string | null;
  bookingDate: string | null;
  outcome: LineOutcome;
  /** Why a line is unmatched or ignored: no_end_to_end_id, unknown_payout, amount_mismatch, not_exported... */
  detail: string | null;
}

/** What an import did, line by line; a second import of the same file returns the first report. */
export interface BankImportReport {
  importId: string;
  messageId: string;
  messageType: string | null;
  alreadyImported: boolean;
  counts: Record<LineOutcome, number>;
  lines: BankLineReport[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** French text of the flag set on an association whose transfer came back. */
export function flagReasonFor(reasonCode: string, statementNumber: string | null): string {
  return `Virement rejeté par la banque (motif ${reasonCode})${statementNumber ? `, relevé ${statementNumber}` : ''}`;
}

/**
 * Records a returned transfer: the `payout_sent` entry is reversed (kind `payout_rejected`: the money is
 * payable to the association again), the payout is `rejected`, and the association is flagged in the
 * registry, which holds its payouts until an operator clears the flag. The next clearing run creates a
 * replacement payout for the statement. Runs in the caller's transaction.
 */
export async function rejectPayout(
  trx: Db,
  payout: Payout,
  rejection: { reasonCode: string; info: string | null; at: Date; confirmedBy: string; timeZone: string },
): Promise<void> {
  if (!payout.sentEntryId) throw new Error(`payout ${payout.id} was never sent`);
  const entry = await reverse(trx, payout.sentEntryId, {
    actor: rejection.confirmedBy,
    kind: 'payout_rejected',
    reason: `Virement rejeté (${rejection.reasonCode})`,
    idempotencyKey: `settlement:payout-rejected:${payout.id}`,
    effectiveDate: businessDate(rejection.at, rejection.timeZone),
  });
  await markRejected(trx, payout.id, {
    at: rejection.at,
    reason: rejection.reasonCode,
    info: rejection.info,
    entryId: entry.id,
    confirmedBy: rejection.confirmedBy,
  });
  const statement = await trx('settlement.statements')
    .where({ id: payout.statementId })
    .first<{ number: string | null } | undefined>('number');
  // Part of the registry's contract: settlement sets the flag (never clears it); the first flag is kept.
  await trx('registry.associations')
    .where({ organisation_id: payout.associationId })
    .whereNull('flagged_at')
    .update({
      flagged_at: rejection.at,
      flag_reason: flagReasonFor(rejection.reasonCode, statement?.number ?? null),
    });
  await recordAudit(trx, {
    actor: { kind: 'system', subjectId: rejection.confirmedBy },
    action: 'settlement.payout_rejected',
    targetType: 'payout',
    targetId: payout.id,
    organisationId: payout.associationId,
    summary: {
      reasonCode: rejection.reasonCode,
      amount: payout.amountCents.toString(),
      reversalEntryId: entry.id,
    },
    at: rejection.at,
  });
}

function emptyCounts(): Record<LineOutcome, number> {
  return { paid: 0, rejected: 0, unmatched: 0, duplicate: 0, ignored: 0 };
}

/**
 * Imports a camt.054 notification from the operator's bank. Lines are matched to payouts by EndToEndId
 * (the payout id): a booked debit of the right amount makes the payout `paid`, a return (RtrInf, RRTN)
 * makes it `rejected` (see rejectPayout); anything else is reported (unmatched lines are for a person to
 * look at). The whole file is one transaction, and its message id makes a second import a no-op.
 */
export async function importCamt054(
  deps: SettlementDeps,
  xml: string,
  importedBy: string,
): Promise<BankImportReport> {
  let notification: ReturnType<typeof parseCamt054>;
  try {
    notification = parseCamt054(xml);
  } catch (err) {
    if (err instanceof SepaError) {
      throw new UnprocessableError('invalid_bank_file', `The bank file cannot be read: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
  const timeZone = deps.config.businessTimezone;
  return deps.knex.transaction(async (trx) => {
    // Two imports of the same file at once: the second waits here, then finds the first one's row.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [
      `settlement.bank_import:${notification.messageId}`,
    ]);
    const existing = await trx('settlement.bank_imports')
      .where({ message_id: notification.messageId })
      .first<{ report: unknown } | undefined>('report');
    if (existing) return { ...toJson<BankImportReport>(existing.report), alreadyImported: true };

    const now = deps.clock();
    const confirmedBy = `camt054:${notification.messageId}`;
    const lines: BankLineReport[] = [];
    for (const [index, line] of notification.entries.entries()) {
      const base = {
        lineNo: index + 1,
        endToEndId: line.endToEndId,
        amount: line.amount,
        currency: line.currency,
        creditDebit: line.creditDebit,
        status: line.status,
        reasonCode: line.reasonCode ?? null,
        bookingDate: line.bookingDate ?? null,
      };
      const result = await applyLine(trx, line, { now, confirmedBy, timeZone });
      lines.push({ ...base, ...result });
    }
    const counts = emptyCounts();
    for (const line of lines) counts[line.outcome]++;
    const importId = randomUUID();
    const report: BankImportReport = {
      importId,
      messageId: notification.messageId,
      messageType: notification.messageType,
      alreadyImported: false,
      counts,
      lines,
    };
    await trx('settlement.bank_imports').insert({
      id: importId,
      message_id: notification.messageId,
      message_type: notification.messageType,
      imported_by: importedBy,
      imported_at: now,
      report: JSON.stringify(report),
    });
    if (lines.length > 0) {
      await trx('settlement.bank_import_lines').insert(
        lines.map((line) => ({
          import_id: importId,
          line_no: line.lineNo,
          end_to_end_id: line.endToEndId,
          payout_id: line.payoutId,
          amount: line.amount,
          currency: line.currency,
          credit_debit: line.creditDebit,
          status: line.status,
          reason_code: line.reasonCode,
          booking_date: line.bookingDate,
          outcome: line.outcome,
          detail: line.detail,
        })),
      );
    }
    await recordAudit(trx, {
      actor: { kind: 'system', subjectId: importedBy },
      action: 'settlement.bank_file_imported',
      targetType: 'bank_import',
      targetId: importId,
      organisationId: null,
      summary: { messageId: notification.messageId, ...counts },
      at: now,
    });
    return report;
  });
}

async function applyLine(
  trx: Db,
  line: CamtTransaction,
  context: { now: Date; confirmedBy: string; timeZone: string },
): Promise<{ payoutId: string | null; outcome: LineOutcome; detail: string | null }> {
  const unmatched = (detail: string, payoutId: string | null = null) => ({
    payoutId,
    outcome: 'unmatched' as const,
    detail,
  });
  if (line.status === 'pending' || line.status === 'other') {
    return { payoutId: null, outcome: 'ignored', detail: `entry_status_${line.entryStatus || 'unknown'}` };
  }
  if (!line.endToEndId) return unmatched('no_end_to_end_id');
  const payoutId = payoutIdFromEndToEndId(line.endToEndId);
  if (!UUID.test(payoutId)) return unmatched('unknown_end_to_end_id');
  const payout = await findPayout(trx, payoutId, { forUpdate: true });
  if (!payout) return unmatched('unknown_payout');
  let cents: bigint;
  try {
    cents = decimalToCents(line.amount);
  } catch {
    return unmatched('invalid_amount', payout.id);
  }
  if (line.currency !== 'EUR' || cents !== payout.amountCents) return unmatched('amount_mismatch', payout.id);

  let outcome: BankOutcome;
  if (line.status === 'rejected') outcome = 'rejected';
  else if (line.creditDebit === 'DBIT') outcome = 'paid';
  else return unmatched('unexpected_credit', payout.id);

  const transition = confirmTransition(payout.status, outcome);
  if (transition.kind === 'duplicate') return { payoutId: payout.id, outcome: 'duplicate', detail: null };
  if (transition.kind === 'refused') return unmatched(transition.reason, payout.id);
  if (outcome === 'paid') {
    await markPaid(
      trx,
      payout.id,
      line.bookingDate ?? businessDate(context.now, context.timeZone),
      context.confirmedBy,
    );
  } else {
    await rejectPayout(trx, payout, {
      reasonCode: line.reasonCode ?? 'NARR',
      info: line.additionalInfo ?? null,
      at: context.now,
      confirmedBy: context.confirmedBy,
      timeZone: context.timeZone,
    });
  }
  return { payoutId: payout.id, outcome, detail: line.reasonCode ?? null };
}

/** What a person confirms by hand, from the bank's website or a letter. */
export type ManualConfirmation =
  | { outcome: 'paid'; paidOn: string }
  | { outcome: 'rejected'; reasonCode: string; info?: string | undefined };

/** Confirms a payout by hand (same rules as a camt.054 line); a second identical confirmation is a no-op. */
export async function confirmPayoutByHand(
  deps: SettlementDeps,
  payoutId: string,
  confirmation: ManualConfirmation,
  principal: Principal,
): Promise<{ payout: Payout; changed: boolean }> {
  const confirmedBy = actorOf(principal);
  return deps.knex.transaction(async (trx) => {
    const payout = await findPayout(trx, payoutId, { forUpdate: true });
    if (!payout) throw new NotFoundError('payout_not_found', 'No such payout.');
    const transition = confirmTransition(payout.status, confirmation.outcome);
    if (transition.kind === 'refused') {
      throw new ConflictError(
        transition.reason === 'not_exported' ? 'payout_not_exported' : 'payout_already_rejected',
        transition.reason === 'not_exported'
          ? 'This payout has not been sent to the bank yet.'
          : 'This payout was rejected by the bank; it cannot be paid.',
      );
    }
    if (transition.kind === 'duplicate') return { payout, changed: false };
    const now = deps.clock();
    if (confirmation.outcome === 'paid') {
      await markPaid(trx, payout.id, confirmation.paidOn, confirmedBy);
    } else {
      await rejectPayout(trx, payout, {
        reasonCode: confirmation.reasonCode,
        info: confirmation.info ?? null,
        at: now,
        confirmedBy,
        timeZone: deps.config.businessTimezone,
      });
    }
    await recordAudit(trx, {
      actor: principal,
      action: `settlement.payout_confirmed_${confirmation.outcome}`,
      targetType: 'payout',
      targetId: payout.id,
      organisationId: payout.associationId,
      summary: { ...confirmation, by: 'hand' },
      at: now,
    });
    return { payout: (await findPayout(trx, payout.id))!, changed: true };
  });
}
