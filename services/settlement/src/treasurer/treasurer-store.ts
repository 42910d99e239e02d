import type { Db } from '@pass/db';
import type { PayoutStatus } from '../payouts/payout';
import { rowsOf, toBigint, toDate, toIsoDate } from '../shared/db-values';

/** A redemption as its association's treasurer sees it, with where it was settled. */
export interface TreasurerRedemption {
  id: string;
  associationId: string;
  redeemedAt: Date;
  status: 'live' | 'undone';
  venueName: string;
  serviceName: string;
  serviceCategory: string;
  funderNames: string;
  voucherCount: number;
  amountCents: bigint;
  statementId: string | null;
  statementNumber: string | null;
}

/** Redemptions newest first in [from, to), keyset-paginated; `liveOnly` for bookkeeping exports. */
export async function listRedemptions(
  db: Db,
  filter: {
    associationId: string | undefined;
    from: Date;
    to: Date;
    liveOnly: boolean;
    before?: { redeemedAt: Date; id: string } | undefined;
    limit: number;
  },
): Promise<TreasurerRedemption[]> {
  const rows = rowsOf<{
    id: string;
    association_id: string;
    redeemed_at: Date | string;
    status: 'live' | 'undone';
    venue_name: string | null;
    service_name: string | null;
    service_category: string;
    funder_names: string | null;
    voucher_count: number;
    amount_cents: string;
    statement_id: string | null;
    statement_number: string | null;
  }>(
    await db.raw(
      `select r.id, r.association_id, r.redeemed_at, r.status, v.name as venue_name, cs.name as service_name,
              r.service_category,
              (select string_agg(distinct o.name, ', ') from redemption.redemption_vouchers rv
                 join registry.organisations o on o.id = rv.funder_id where rv.redemption_id = r.id) as funder_names,
              r.voucher_count, r.amount_cents::text as amount_cents, s.id as statement_id, s.number as statement_number
         from redemption.redemptions r
         left join settlement.statement_redemptions sr on sr.redemption_id = r.id
         left join settlement.statements s on s.id = sr.statement_id and s.status = 'issued'
         left join registry.venues v on v.id = r.venue_id
         left join registry.catalogue_services cs on cs.id = r.catalogue_service_id
        where (?::uuid is null or r.association_id = ?::uuid)
          and r.redeemed_at >= ? and r.redeemed_at < ?
          and (not ?::boolean or r.status = 'live')
          and (?::timestamptz is null or (r.redeemed_at, r.id) < (?::timestamptz, ?::uuid))
        order by r.redeemed_at desc, r.id desc
        limit ?`,
      [
        filter.associationId ?? null,
        filter.associationId ?? null,
        filter.from,
        filter.to,
        filter.liveOnly,
        filter.before?.redeemedAt ?? null,
        filter.before?.redeemedAt ?? null,
        filter.before?.id ?? null,
        filter.limit,
      ],
    ),
  );
  return rows.map((row) => ({
    id: row.id,
    associationId: row.association_id,
    redeemedAt: toDate(row.redeemed_at),
    status: row.status,
    venueName: row.venue_name ?? '',
    serviceName: row.service_name ?? '',
    serviceCategory: row.service_category,
    funderNames: row.funder_names ?? '',
    voucherCount: Number(row.voucher_count),
    amountCents: toBigint(row.amount_cents),
    statementId: row.statement_id,
    statementNumber: row.statement_number,
  }));
}

/** A payout with its statement, as the treasurer's bookkeeping needs it. */
export interface PayoutRow {
  id: string;
  associationId: string;
  associationName: string;
  statementId: string;
  statementNumber: string;
  statementIssueDate: string;
  statementCutoff: Date;
  statementPeriodStart: Date | null;
  grossCents: bigint;
  feeCents: bigint;
  amountCents: bigint;
  status: PayoutStatus;
  holdReason: string | null;
  executionDate: string | null;
  paidOn: string | null;
  rejectedAt: Date | null;
  rejectionReason: string | null;
  remittance: string | null;
  replacesPayoutId: string | null;
  fileId: string | null;
  createdAt: Date;
}

/** Payouts newest first, filtered, keyset-paginated on (created_at, id). */
export async function listPayouts(
  db: Db,
  filter: {
    associationId: string | undefined;
    status?: PayoutStatus | undefined;
    statementId?: string | undefined;
    issuedFrom?: string | undefined;
    issuedTo?: string | undefined;
    before?: { createdAt: Date; id: string } | undefined;
    limit: number;
  },
): Promise<PayoutRow[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.raw(
      `select p.id, p.association_id, coalesce(o.name, p.association_id::text) as association_name, p.statement_id,
              s.number as statement_number, s.issue_date::text as statement_issue_date, s.cutoff as statement_cutoff,
              s.period_start as statement_period_start, s.gross_cents::text as gross_cents, s.fee_cents::text as fee_cents,
              p.amount_cents::text as amount_cents, p.status, p.hold_reason, p.execution_date::text as execution_date,
              p.paid_on::text as paid_on, p.rejected_at, p.rejection_reason, p.remittance, p.replaces_payout_id,
              p.file_id, p.created_at
         from settlement.payouts p
         join settlement.statements s on s.id = p.statement_id
         left join registry.organisations o on o.id = p.association_id
        where (?::uuid is null or p.association_id = ?::uuid)
          and (?::text is null or p.status = ?::text)
          and (?::uuid is null or p.statement_id = ?::uuid)
          and (?::date is null or s.issue_date >= ?::date)
          and (?::date is null or s.issue_date <= ?::date)
          and (?::timestamptz is null or (p.created_at, p.id) < (?::timestamptz, ?::uuid))
        order by p.created_at desc, p.id desc
        limit ?`,
      [
        filter.associationId ?? null,
        filter.associationId ?? null,
        filter.status ?? null,
        filter.status ?? null,
        filter.statementId ?? null,
        filter.statementId ?? null,
        filter.issuedFrom ?? null,
        filter.issuedFrom ?? null,
        filter.issuedTo ?? null,
        filter.issuedTo ?? null,
        filter.before?.createdAt ?? null,
        filter.before?.createdAt ?? null,
        filter.before?.id ?? null,
        filter.limit,
      ],
    ),
  );
  return rows.map((row) => ({
    id: String(row.id),
    associationId: String(row.association_id),
    associationName: String(row.association_name),
    statementId: String(row.statement_id),
    statementNumber: String(row.statement_number),
    statementIssueDate: toIsoDate(row.statement_issue_date),
    statementCutoff: toDate(row.statement_cutoff),
    statementPeriodStart: row.statement_period_start ? toDate(row.statement_period_start) : null,
    grossCents: toBigint(row.gross_cents),
    feeCents: toBigint(row.fee_cents),
    amountCents: toBigint(row.amount_cents),
    status: row.status as PayoutStatus,
    holdReason: (row.hold_reason as string | null) ?? null,
    executionDate: row.execution_date ? toIsoDate(row.execution_date) : null,
    paidOn: row.paid_on ? toIsoDate(row.paid_on) : null,
    rejectedAt: row.rejected_at ? toDate(row.rejected_at) : null,
    rejectionReason: (row.rejection_reason as string | null) ?? null,
    remittance: (row.remittance as string | null) ?? null,
    replacesPayoutId: (row.replaces_payout_id as string | null) ?? null,
    fileId: (row.file_id as string | null) ?? null,
    createdAt: toDate(row.created_at),
  }));
}
