import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import type { Config } from '@pass/config';
import type { Db } from '@pass/db';
import { accounts, credit, debit, post } from '@pass/ledger';
import type { ClearingCheckpoint, ClearingRun, RunSummary } from '../clearing/clearing-run';
import { buildPain001, endToEndIdFromPayoutId, type SepaParty } from '../sepa';
import { businessDate, yearOf } from '../shared/business-time';
import { rowsOf } from '../shared/db-values';
import { nextDocumentNumber } from '../shared/document-number';
import { SETTLEMENT_JOB_ACTOR, type SettlementDeps } from '../shared/settlement-deps';
import { nextTargetBusinessDay } from '../shared/target-calendar';
import { remittanceFor } from './payout';
import { loadPayoutAccounts, payoutAccountOf } from './payout-account';
import { lockPayoutsInStatus, markExported, setHoldReasons } from './payout-store';

/** Transfers per pain.001 file: one transaction per file keeps PGlite responsive and files a bank accepts. */
export const MAX_PAYMENTS_PER_FILE = 2000;

/** The operator's account from config: the debtor of every transfer. */
export function operatorDebtor(config: Pick<Config, 'operator'>): SepaParty {
  const { operator } = config;
  return {
    name: operator.name,
    iban: operator.iban,
    bic: operator.bic,
    address: {
      streetName: operator.address.street,
      buildingNumber: operator.address.buildingNumber,
      postCode: operator.address.postcode,
      townName: operator.address.town,
      country: operator.address.country,
    },
  };
}

async function statementNumbers(db: Db, statementIds: readonly string[]): Promise<Map<string, string>> {
  const rows = rowsOf<{ id: string; number: string }>(
    await db.raw('select id, number from settlement.statements where id = any(?::uuid[])', [
      [...statementIds],
    ]),
  );
  return new Map(rows.map((row) => [row.id, row.number]));
}

/**
 * Writes every payout ready to go into pain.001 files (execution date: the next TARGET business day after
 * the run's date), in one transaction per file: the file, the payouts moved to `exported`, and for each a
 * `payout_sent` entry (association payable debited, operator bank credited). A payout whose account stopped
 * being payable since it was created is held instead and reported.
 */
export async function exportPayouts(
  deps: SettlementDeps,
  run: ClearingRun,
  summary: RunSummary,
  checkpoint: (point: ClearingCheckpoint, detail?: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  const timeZone = deps.config.businessTimezone;
  const executionDate = nextTargetBusinessDay(businessDate(run.asOf, timeZone));
  for (;;) {
    const file = await deps.knex.transaction(async (trx) => {
      // One exporter at a time: two would each take the same ready payouts and wait on each other's locks.
      await trx.raw("select pg_advisory_xact_lock(hashtext('settlement.payout_export'))");
      const ready = (await lockPayoutsInStatus(trx, ['created'], run.associationId)).slice(
        0,
        MAX_PAYMENTS_PER_FILE,
      );
      if (ready.length === 0) return undefined;
      const payable = await loadPayoutAccounts(
        trx,
        ready.map((p) => p.associationId),
      );
      const numbers = await statementNumbers(
        trx,
        ready.map((p) => p.statementId),
      );
      const held: {
        id: string;
        reason: 'flagged' | 'bank_change_pending' | 'bank_details_missing' | 'invalid_account';
      }[] = [];
      const payments: {
        id: string;
        creditor: SepaParty;
        remittance: string;
        amountCents: bigint;
        associationId: string;
      }[] = [];
      for (const payout of ready) {
        const account = payoutAccountOf(payable.get(payout.associationId));
        if (!account.ok) {
          held.push({ id: payout.id, reason: account.reason });
          summary.held.push({
            payoutId: payout.id,
            associationId: payout.associationId,
            reason: account.reason,
            detail: account.detail,
          });
          continue;
        }
        payments.push({
          id: payout.id,
          creditor: account.creditor,
          remittance: remittanceFor(numbers.get(payout.statementId) ?? payout.statementId),
          amountCents: payout.amountCents,
          associationId: payout.associationId,
        });
      }
      await setHoldReasons(trx, held);
      if (payments.length === 0) return { held: held.length };

      const now = deps.clock();
      const messageId = (await nextDocumentNumber(trx, 'payout_file', yearOf(businessDate(now, timeZone))))
        .number;
      const xml = buildPain001({
        messageId,
        createdAt: now,
        debtor: operatorDebtor(deps.config),
        payments: payments.map((payment) => ({
          endToEndId: endToEndIdFromPayoutId(payment.id),
          amountCents: payment.amountCents,
          requestedExecutionDate: executionDate,
          creditor: payment.creditor,
          remittanceInformation: payment.remittance,
        })),
      });
      const effectiveDate = businessDate(now, timeZone);
      const sent: { id: string; creditor: SepaParty; remittance: string; sentEntryId: string }[] = [];
      for (const payment of payments) {
        const entry = await post(trx, {
          kind: 'payout_sent',
          reference: `payout:${payment.id}`,
          actor: SETTLEMENT_JOB_ACTOR,
          description: `Virement ${payment.remittance}`,
          effectiveDate,
          idempotencyKey: `settlement:payout-sent:${payment.id}`,
          lines: [
            debit(accounts.associationPayable(payment.associationId), payment.amountCents),
            credit(accounts.operatorBank(), payment.amountCents),
          ],
        });
        sent.push({
          id: payment.id,
          creditor: payment.creditor,
          remittance: payment.remittance,
          sentEntryId: entry.id,
        });
      }
      const fileId = randomUUID();
      const totalCents = payments.reduce((total, payment) => total + payment.amountCents, 0n);
      await trx('settlement.payout_files').insert({
        id: fileId,
        message_id: messageId,
        execution_date: executionDate,
        run_id: run.id,
        payment_count: payments.length,
        control_sum_cents: totalCents.toString(),
        xml,
        created_by: SETTLEMENT_JOB_ACTOR,
        created_at: now,
      });
      const exported = await markExported(trx, fileId, executionDate, now, sent);
      if (exported !== payments.length) throw new Error(`exported ${exported} of ${payments.length} payouts`);
      await recordAudit(trx, {
        actor: { kind: 'system', subjectId: SETTLEMENT_JOB_ACTOR },
        action: 'settlement.payout_file_created',
        targetType: 'payout_file',
        targetId: fileId,
        organisationId: null,
        summary: {
          messageId,
          executionDate,
          payments: payments.length,
          total: totalCents.toString(),
          runId: run.id,
        },
        at: now,
      });
      await checkpoint('file_before_commit', { fileId, messageId });
      return {
        held: held.length,
        file: {
          fileId,
          messageId,
          executionDate,
          payments: payments.length,
          totalCents: totalCents.toString(),
        },
      };
    });
    if (!file) return;
    if (file.file) {
      summary.files.push(file.file);
      await checkpoint('file_exported', { fileId: file.file.fileId });
    }
    // Only held payouts this round: they are no longer `created`, the next round sees the rest.
  }
}
