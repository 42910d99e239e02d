import type { Db } from '@pass/db';
import type { Payee } from '../clearing/clearing-store';
import type { PayoutStatus } from '../payouts/payout';
import {
  rowsOf,
  toBigint,
  toBigintOrNull,
  toDate,
  toDateOrNull,
  toIsoDate,
  toJson,
} from '../shared/db-values';

/** A statement (relevé) as people read it. */
export interface Statement {
  id: string;
  runId: string;
  associationId: string;
  status: 'draft' | 'issued';
  number: string | null;
  cutoff: Date;
  periodStart: Date | null;
  issueDate: string;
  feeRate: string;
  redemptionCount: number;
  voucherCount: number;
  grossCents: bigint;
  feeCents: bigint;
  netCents: bigint;
  payee: Payee | null;
  createdAt: Date;
  issuedAt: Date | null;
  /** The live payout (or the last rejected one). */
  payout: { id: string; status: PayoutStatus; amountCents: bigint; executionDate: string | null } | null;
}

interface DbStatementRow {
  id: string;
  run_id: string;
  association_id: string;
  status: 'draft' | 'issued';
  number: string | null;
  cutoff: Date | string;
  period_start: Date | string | null;
  issue_date: string;
  fee_rate: string;
  redemption_count: number | null;
  voucher_count: number | null;
  gross_cents: string | null;
  fee_cents: string | null;
  net_cents: string | null;
  payee: unknown;
  created_at: Date | string;
  issued_at: Date | string | null;
  payout_id: string | null;
  payout_status: PayoutStatus | null;
  payout_amount_cents: string | null;
  payout_execution_date: string | null;
}

const SELECT_STATEMENT = `
  select s.id, s.run_id, s.association_id, s.status, s.number, s.cutoff, s.period_start, s.issue_date::text as issue_date,
         s.fee_rate::text as fee_rate, s.redemption_count, s.voucher_count, s.gross_cents::text as gross_cents,
         s.fee_cents::text as fee_cents, s.net_cents::text as net_cents, s.payee, s.created_at, s.issued_at,
         p.id as payout_id, p.status as payout_status, p.amount_cents::text as payout_amount_cents,
         p.execution_date::text as payout_execution_date
    from settlement.statements s
    left join lateral (
      select * from settlement.payouts p where p.statement_id = s.id
       order by (p.status <> 'rejected') desc, p.created_at desc, p.id desc limit 1) p on true`;

function statementFromRow(row: DbStatementRow): Statement {
  return {
    id: row.id,
    runId: row.run_id,
    associationId: row.association_id,
    status: row.status,
    number: row.number,
    cutoff: toDate(row.cutoff),
    periodStart: toDateOrNull(row.period_start),
    issueDate: toIsoDate(row.issue_date),
    feeRate: String(row.fee_rate),
    redemptionCount: Number(row.redemption_count ?? 0),
    voucherCount: Number(row.voucher_count ?? 0),
    grossCents: toBigintOrNull(row.gross_cents) ?? 0n,
    feeCents: toBigintOrNull(row.fee_cents) ?? 0n,
    netCents: toBigintOrNull(row.net_cents) ?? 0n,
    payee: row.payee === null || row.payee === undefined ? null : toJson<Payee>(row.payee),
    createdAt: toDate(row.created_at),
    issuedAt: toDateOrNull(row.issued_at),
    payout:
      row.payout_id && row.payout_status && row.payout_amount_cents
        ? {
            id: row.payout_id,
            status: row.payout_status,
            amountCents: toBigint(row.payout_amount_cents),
            executionDate: row.payout_execution_date,
          }
        : null,
  };
}

export async function findStatement(db: Db, id: string): Promise<Statement | undefined> {
  const [row] = rowsOf<DbStatementRow>(await db.raw(`${SELECT_STATEMENT} where s.id = ?`, [id]));
  return row ? statementFromRow(row) : undefined;
}

/** Issued statements newest first (issue date, number), keyset-paginated. */
export async function listStatements(
  db: Db,
  filter: {
    associationId?: string | undefined;
    after?: { issueDate: string; number: string } | undefined;
    limit: number;
  },
): Promise<Statement[]> {
  const conditions = ["s.status = 'issued'"];
  const bindings: (string | number)[] = [];
  if (filter.associationId) {
    conditions.push('s.association_id = ?');
    bindings.push(filter.associationId);
  }
  if (filter.after) {
    conditions.push('(s.issue_date, s.number) < (?::date, ?)');
    bindings.push(filter.after.issueDate, filter.after.number);
  }
  bindings.push(filter.limit);
  const rows = rowsOf<DbStatementRow>(
    await db.raw(
      `${SELECT_STATEMENT} where ${conditions.join(' and ')} order by s.issue_date desc, s.number desc limit ?`,
      bindings,
    ),
  );
  return rows.map(statementFromRow);
}

/** A total of a statement by venue and funder, with names. */
export interface StatementTotal {
  venueId: string;
  venueName: string;
  funderId: string;
  funderName: string;
  voucherCount: number;
  grossCents: bigint;
}

export async function statementTotals(db: Db, statementId: string): Promise<StatementTotal[]> {
  const rows = rowsOf<{
    venue_id: string;
    venue_name: string | null;
    funder_id: string;
    funder_name: string | null;
    voucher_count: number;
    gross_cents: string;
  }>(
    await db.raw(
      `select t.venue_id, v.name as venue_name, t.funder_id, o.name as funder_name, t.voucher_count,
              t.gross_cents::text as gross_cents
         from settlement.statement_totals t
         left join registry.venues v on v.id = t.venue_id
         left join registry.organisations o on o.id = t.funder_id
        where t.statement_id = ?
        order by v.name, o.name, t.venue_id, t.funder_id`,
      [statementId],
    ),
  );
  return rows.map((row) => ({
    venueId: row.venue_id,
    venueName: row.venue_name ?? row.venue_id,
    funderId: row.funder_id,
    funderName: row.funder_name ?? row.funder_id,
    voucherCount: Number(row.voucher_count),
    grossCents: toBigint(row.gross_cents),
  }));
}

/** One redemption of a statement, with names, as its detail lists it. */
export interface StatementRedemption {
  redemptionId: string;
  redeemedAt: Date;
  venueName: string;
  serviceName: string;
  funderNames: string;
  voucherCount: number;
  amountCents: bigint;
}

/** The redemptions of a statement in date order, a page at a time (`after` is the last one of the previous). */
export async function statementRedemptions(
  db: Db,
  statementId: string,
  after: { redeemedAt: Date; redemptionId: string } | undefined,
  limit: number,
): Promise<StatementRedemption[]> {
  const rows = rowsOf<{
    redemption_id: string;
    redeemed_at: Date | string;
    venue_name: string | null;
    service_name: string | null;
    funder_names: string | null;
    voucher_count: number;
    amount_cents: string;
  }>(
    await db.raw(
      `select sr.redemption_id, sr.redeemed_at, v.name as venue_name, cs.name as service_name,
              (select string_agg(distinct o.name, ', ') from settlement.statement_lines l
                 join registry.organisations o on o.id = l.funder_id where l.redemption_id = sr.redemption_id) as funder_names,
              sr.voucher_count, sr.amount_cents::text as amount_cents
         from settlement.statement_redemptions sr
         left join registry.venues v on v.id = sr.venue_id
         left join registry.catalogue_services cs on cs.id = sr.catalogue_service_id
        where sr.statement_id = ?
          and (?::timestamptz is null or (sr.redeemed_at, sr.redemption_id) > (?::timestamptz, ?::uuid))
        order by sr.redeemed_at, sr.redemption_id
        limit ?`,
      [statementId, after?.redeemedAt ?? null, after?.redeemedAt ?? null, after?.redemptionId ?? null, limit],
    ),
  );
  return rows.map((row) => ({
    redemptionId: row.redemption_id,
    redeemedAt: toDate(row.redeemed_at),
    venueName: row.venue_name ?? '',
    serviceName: row.service_name ?? '',
    funderNames: row.funder_names ?? '',
    voucherCount: Number(row.voucher_count),
    amountCents: toBigint(row.amount_cents),
  }));
}

/** One pass of a statement, for the CSV detail. */
export interface StatementLine {
  redemptionId: string;
  redeemedAt: Date;
  venueName: string;
  serviceName: string;
  funderName: string;
  batchNumber: number | null;
  serial: number | null;
  faceValueCents: bigint;
}

/** The passes of a statement in date order, a page at a time. */
export async function statementLines(
  db: Db,
  statementId: string,
  after: { redeemedAt: Date; redemptionId: string; voucherId: string } | undefined,
  limit: number,
): Promise<(StatementLine & { voucherId: string })[]> {
  const rows = rowsOf<{
    redemption_id: string;
    voucher_id: string;
    redeemed_at: Date | string;
    venue_name: string | null;
    service_name: string | null;
    funder_name: string | null;
    batch_number: string | null;
    serial: number | null;
    face_value_cents: string;
  }>(
    await db.raw(
      `select sr.redemption_id, l.voucher_id::text as voucher_id, sr.redeemed_at, ven.name as venue_name,
              cs.name as service_name, o.name as funder_name, b.number::text as batch_number, vo.serial,
              l.face_value_cents::text as face_value_cents
         from settlement.statement_redemptions sr
         join settlement.statement_lines l on l.redemption_id = sr.redemption_id
         left join registry.venues ven on ven.id = sr.venue_id
         left join registry.catalogue_services cs on cs.id = sr.catalogue_service_id
         left join registry.organisations o on o.id = l.funder_id
         left join vouchers.batches b on b.id = l.batch_id
         left join vouchers.vouchers vo on vo.id = l.voucher_id
        where sr.statement_id = ?
          and (?::timestamptz is null
               or (sr.redeemed_at, sr.redemption_id, l.voucher_id) > (?::timestamptz, ?::uuid, ?::bigint))
        order by sr.redeemed_at, sr.redemption_id, l.voucher_id
        limit ?`,
      [
        statementId,
        after?.redeemedAt ?? null,
        after?.redeemedAt ?? null,
        after?.redemptionId ?? null,
        after?.voucherId ?? null,
        limit,
      ],
    ),
  );
  return rows.map((row) => ({
    redemptionId: row.redemption_id,
    voucherId: row.voucher_id,
    redeemedAt: toDate(row.redeemed_at),
    venueName: row.venue_name ?? '',
    serviceName: row.service_name ?? '',
    funderName: row.funder_name ?? '',
    batchNumber: row.batch_number === null ? null : Number(row.batch_number),
    serial: row.serial === null ? null : Number(row.serial),
    faceValueCents: toBigint(row.face_value_cents),
  }));
}
