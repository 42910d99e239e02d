import type { Db } from '@pass/db';
import type { SepaParty } from '../sepa';
import { rowsOf, toBigint, toDate, toDateOrNull, toIsoDate } from '../shared/db-values';
import type { Payout, PayoutStatus } from './payout';
import type { HoldReason } from './payout-account';

export interface DbPayoutRow {
  id: string;
  statement_id: string;
  association_id: string;
  amount_cents: string;
  status: PayoutStatus;
  hold_reason: HoldReason | null;
  replaces_payout_id: string | null;
  file_id: string | null;
  execution_date: string | null;
  creditor: unknown;
  remittance: string | null;
  sent_entry_id: string | null;
  rejected_entry_id: string | null;
  created_at: Date | string;
  exported_at: Date | string | null;
  paid_on: string | null;
  rejected_at: Date | string | null;
  rejection_reason: string | null;
  rejection_info: string | null;
  confirmed_by: string | null;
}

export function payoutFromRow(row: DbPayoutRow): Payout {
  return {
    id: row.id,
    statementId: row.statement_id,
    associationId: row.association_id,
    amountCents: toBigint(row.amount_cents),
    status: row.status,
    holdReason: row.hold_reason,
    replacesPayoutId: row.replaces_payout_id,
    fileId: row.file_id,
    executionDate: row.execution_date === null ? null : toIsoDate(row.execution_date),
    remittance: row.remittance,
    sentEntryId: row.sent_entry_id === null ? null : String(row.sent_entry_id),
    rejectedEntryId: row.rejected_entry_id === null ? null : String(row.rejected_entry_id),
    createdAt: toDate(row.created_at),
    exportedAt: toDateOrNull(row.exported_at),
    paidOn: row.paid_on === null ? null : toIsoDate(row.paid_on),
    rejectedAt: toDateOrNull(row.rejected_at),
    rejectionReason: row.rejection_reason,
    rejectionInfo: row.rejection_info,
    confirmedBy: row.confirmed_by,
  };
}

/** Creates a payout, held when the account cannot be paid now. */
export async function insertPayout(
  db: Db,
  payout: {
    id: string;
    statementId: string;
    associationId: string;
    amountCents: bigint;
    holdReason: HoldReason | null;
    replacesPayoutId: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await db('settlement.payouts').insert({
    id: payout.id,
    statement_id: payout.statementId,
    association_id: payout.associationId,
    amount_cents: payout.amountCents.toString(),
    status: payout.holdReason ? 'held' : 'created',
    hold_reason: payout.holdReason,
    replaces_payout_id: payout.replacesPayoutId,
    created_at: payout.createdAt,
  });
}

export async function findPayout(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Payout | undefined> {
  const query = db<DbPayoutRow>('settlement.payouts').where({ id }).first();
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  return row ? payoutFromRow(row) : undefined;
}

/** Payouts waiting on the association (held) or on the next export (created), locked, oldest first. */
export async function lockPayoutsInStatus(
  db: Db,
  statuses: readonly PayoutStatus[],
  associationId: string | null,
): Promise<Payout[]> {
  const query = db<DbPayoutRow>('settlement.payouts')
    .whereIn('status', [...statuses])
    .orderBy([{ column: 'association_id' }, { column: 'created_at' }, { column: 'id' }])
    .forUpdate();
  if (associationId) query.where({ association_id: associationId });
  return (await query.select()).map(payoutFromRow);
}

/** Holds or releases payouts in one statement: `reason` null means created (ready to export). */
export async function setHoldReasons(
  db: Db,
  changes: readonly { id: string; reason: HoldReason | null }[],
): Promise<void> {
  if (changes.length === 0) return;
  await db.raw(
    `update settlement.payouts p
        set status = case when c.reason is null then 'created' else 'held' end, hold_reason = c.reason
       from unnest(?::uuid[], ?::text[]) as c (id, reason)
      where p.id = c.id and p.status in ('held', 'created')`,
    [changes.map((c) => c.id), changes.map((c) => c.reason) as unknown as string[]],
  );
}

/** Issued statements with money to pay and no live payout: their transfer was rejected and must be redone. */
export async function statementsToPayAgain(
  db: Db,
  associationId: string | null,
): Promise<{ statementId: string; associationId: string; netCents: bigint; lastPayoutId: string }[]> {
  const rows = rowsOf<{
    statement_id: string;
    association_id: string;
    net_cents: string;
    last_payout_id: string;
  }>(
    await db.raw(
      `select s.id as statement_id, s.association_id, s.net_cents::text as net_cents,
              (select p.id from settlement.payouts p where p.statement_id = s.id
                order by p.created_at desc, p.id desc limit 1) as last_payout_id
         from settlement.statements s
        where s.status = 'issued' and s.net_cents > 0
          and (?::uuid is null or s.association_id = ?::uuid)
          and exists (select 1 from settlement.payouts p where p.statement_id = s.id and p.status = 'rejected')
          -- a replacement not rejected (yet) is the live payout: nothing to do
          and not exists (select 1 from settlement.payouts p where p.statement_id = s.id and p.status <> 'rejected')
        order by s.association_id, s.id`,
      [associationId, associationId],
    ),
  );
  return rows.map((row) => ({
    statementId: row.statement_id,
    associationId: row.association_id,
    netCents: toBigint(row.net_cents),
    lastPayoutId: row.last_payout_id,
  }));
}

/** Records the export of payouts into a file (status, execution date, creditor, ledger entry). */
export async function markExported(
  db: Db,
  fileId: string,
  executionDate: string,
  exportedAt: Date,
  payouts: readonly { id: string; creditor: SepaParty; remittance: string; sentEntryId: string }[],
): Promise<number> {
  if (payouts.length === 0) return 0;
  const result = await db.raw(
    `update settlement.payouts p
        set status = 'exported', file_id = ?::uuid, execution_date = ?::date, exported_at = ?::timestamptz,
            creditor = c.creditor::jsonb, remittance = c.remittance, sent_entry_id = c.entry_id::bigint
       from unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) as c (id, creditor, remittance, entry_id)
      where p.id = c.id and p.status = 'created'
     returning p.id`,
    [
      fileId,
      executionDate,
      exportedAt,
      payouts.map((p) => p.id),
      payouts.map((p) => JSON.stringify(p.creditor)),
      payouts.map((p) => p.remittance),
      payouts.map((p) => p.sentEntryId),
    ],
  );
  return rowsOf(result).length;
}

export async function markPaid(db: Db, id: string, paidOn: string, confirmedBy: string): Promise<void> {
  await db('settlement.payouts')
    .where({ id })
    .whereIn('status', ['exported'])
    .update({ status: 'paid', paid_on: paidOn, confirmed_by: confirmedBy });
}

export async function markRejected(
  db: Db,
  id: string,
  rejection: { at: Date; reason: string; info: string | null; entryId: string; confirmedBy: string },
): Promise<void> {
  await db('settlement.payouts').where({ id }).whereIn('status', ['exported', 'paid']).update({
    status: 'rejected',
    rejected_at: rejection.at,
    rejection_reason: rejection.reason,
    rejection_info: rejection.info,
    rejected_entry_id: rejection.entryId,
    confirmed_by: rejection.confirmedBy,
  });
}
