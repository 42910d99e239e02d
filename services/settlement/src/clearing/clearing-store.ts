import type { Db } from '@pass/db';
import { rowsOf, toBigint, toDate, toDateOrNull, toIsoDate, toJson } from '../shared/db-values';
import type { ClearingRun, RunSummary, RunTrigger } from './clearing-run';
import type { Cadence } from './cutoff';

interface DbRunRow {
  id: string;
  run_key: string;
  trigger: RunTrigger;
  association_id: string | null;
  as_of: Date | string;
  manual_cutoff: Date | string | null;
  status: ClearingRun['status'];
  requested_by: string;
  created_at: Date | string;
  started_at: Date | string | null;
  completed_at: Date | string | null;
  attempts: number;
  last_error: string | null;
  summary: unknown;
}

function runFromRow(row: DbRunRow): ClearingRun {
  return {
    id: row.id,
    runKey: row.run_key,
    trigger: row.trigger,
    associationId: row.association_id,
    asOf: toDate(row.as_of),
    manualCutoff: toDateOrNull(row.manual_cutoff),
    status: row.status,
    requestedBy: row.requested_by,
    createdAt: toDate(row.created_at),
    startedAt: toDateOrNull(row.started_at),
    completedAt: toDateOrNull(row.completed_at),
    attempts: Number(row.attempts),
    lastError: row.last_error,
    summary: row.summary === null || row.summary === undefined ? null : toJson<RunSummary>(row.summary),
  };
}

/** Inserts a run unless its key exists; returns the run with that key either way. */
export async function insertRunOnce(
  db: Db,
  run: {
    id: string;
    runKey: string;
    trigger: RunTrigger;
    associationId: string | null;
    asOf: Date;
    manualCutoff: Date | null;
    requestedBy: string;
    createdAt: Date;
  },
): Promise<{ run: ClearingRun; created: boolean }> {
  const inserted = rowsOf<DbRunRow>(
    await db.raw(
      `insert into settlement.runs (id, run_key, trigger, association_id, as_of, manual_cutoff, status, requested_by, created_at)
       values (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
       on conflict (run_key) do nothing
       returning *`,
      [
        run.id,
        run.runKey,
        run.trigger,
        run.associationId,
        run.asOf,
        run.manualCutoff,
        run.requestedBy,
        run.createdAt,
      ],
    ),
  );
  if (inserted[0]) return { run: runFromRow(inserted[0]), created: true };
  const existing = await findRunByKey(db, run.runKey);
  if (!existing) throw new Error(`run ${run.runKey} vanished`);
  return { run: existing, created: false };
}

export async function findRunByKey(db: Db, runKey: string): Promise<ClearingRun | undefined> {
  const row = await db<DbRunRow>('settlement.runs').where({ run_key: runKey }).first();
  return row ? runFromRow(row) : undefined;
}

export async function findRun(db: Db, id: string): Promise<ClearingRun | undefined> {
  const row = await db<DbRunRow>('settlement.runs').where({ id }).first();
  return row ? runFromRow(row) : undefined;
}

export async function listRuns(
  db: Db,
  limit: number,
  before?: { createdAt: Date; id: string },
): Promise<ClearingRun[]> {
  const query = db<DbRunRow>('settlement.runs')
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  if (before) query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [before.createdAt, before.id]);
  return (await query.select()).map(runFromRow);
}

export async function markRunStarted(db: Db, id: string, at: Date): Promise<void> {
  await db('settlement.runs')
    .where({ id })
    .update({
      status: 'running',
      started_at: db.raw('coalesce(started_at, ?)', [at]),
      attempts: db.raw('attempts + 1'),
    });
}

export async function markRunFinished(
  db: Db,
  id: string,
  outcome: { status: 'completed' | 'failed'; at: Date; summary: RunSummary; error?: string | undefined },
): Promise<void> {
  await db('settlement.runs')
    .where({ id })
    .update({
      status: outcome.status,
      completed_at: outcome.status === 'completed' ? outcome.at : null,
      last_error: outcome.error ?? null,
      summary: JSON.stringify(outcome.summary),
    });
}

/**
 * Creates a draft statement for every association in scope whose cadence window has unsettled live
 * redemptions before its cut-off, unless it already has a draft or a statement reaching that cut-off. The
 * newest unsettled redemption is looked for first (index on (association_id, redeemed_at) backwards), so
 * years of settled history are not scanned when there is something new, which is the usual case.
 */
export async function planDrafts(
  db: Db,
  params: {
    runId: string;
    issueDate: string;
    createdAt: Date;
    associationId: string | null;
    /** One window per cadence, or `*` for every association (manual runs). */
    windows: { cadence: Cadence | '*'; cutoff: Date; periodStart: Date | null }[];
  },
): Promise<number> {
  const cadences = params.windows.map((w) => w.cadence);
  const cutoffs = params.windows.map((w) => w.cutoff);
  // pg writes null array elements as NULL; knex's binding type does not say so.
  const starts = params.windows.map((w) => w.periodStart) as unknown as Date[];
  const result = await db.raw(
    `insert into settlement.statements (id, run_id, association_id, cutoff, period_start, issue_date, fee_rate, status, created_at)
     select gen_random_uuid(), ?::uuid, a.organisation_id, w.cutoff, w.period_start, ?::date, a.downstream_fee_rate, 'draft', ?::timestamptz
       from registry.associations a
       join unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) as w (cadence, cutoff, period_start)
         on w.cadence = a.settlement_cadence or w.cadence = '*'
      where (?::uuid is null or a.organisation_id = ?::uuid)
        and not exists (select 1 from settlement.statements s
                         where s.association_id = a.organisation_id and (s.status = 'draft' or s.cutoff >= w.cutoff))
        and exists (select 1 from (
              select r.id from redemption.redemptions r
               where r.association_id = a.organisation_id and r.status = 'live' and r.redeemed_at < w.cutoff
                 and (select sr.redemption_id from settlement.statement_redemptions sr where sr.redemption_id = r.id) is null
               order by r.redeemed_at desc
               limit 1) newest)
      order by a.organisation_id
     on conflict do nothing
     returning id`,
    [
      params.runId,
      params.issueDate,
      params.createdAt,
      cadences,
      cutoffs,
      starts,
      params.associationId,
      params.associationId,
    ],
  );
  return rowsOf<{ id: string }>(result).length;
}

/** A draft to fill and issue. */
export interface DraftStatement {
  id: string;
  runId: string;
  associationId: string;
  cutoff: Date;
  periodStart: Date | null;
  issueDate: string;
  feeRate: string;
}

/**
 * The drafts to finish, in the order they will be numbered: by cut-off, then association id. The order
 * only depends on the data, so a resumed run numbers them exactly as the first attempt would have.
 */
export async function listDrafts(db: Db, associationId: string | null): Promise<DraftStatement[]> {
  const query = db('settlement.statements')
    .where({ status: 'draft' })
    .orderBy([{ column: 'cutoff' }, { column: 'association_id' }])
    .select<
      {
        id: string;
        run_id: string;
        association_id: string;
        cutoff: Date | string;
        period_start: Date | string | null;
        issue_date: string;
        fee_rate: string;
      }[]
    >('id', 'run_id', 'association_id', 'cutoff', 'period_start', 'issue_date', 'fee_rate');
  if (associationId) query.where({ association_id: associationId });
  return (await query).map((row) => ({
    id: row.id,
    runId: row.run_id,
    associationId: row.association_id,
    cutoff: toDate(row.cutoff),
    periodStart: toDateOrNull(row.period_start),
    issueDate: toIsoDate(row.issue_date),
    feeRate: String(row.fee_rate),
  }));
}

/** Locks a statement row for the rest of the transaction; returns its status, or undefined if gone. */
export async function lockStatement(db: Db, statementId: string): Promise<'draft' | 'issued' | undefined> {
  const row = await db('settlement.statements')
    .where({ id: statementId })
    .forUpdate()
    .first<{ status: 'draft' | 'issued' } | undefined>('status');
  return row?.status;
}

/** A redemption put on a statement: what its passes must add up to. */
export interface ChunkRedemption {
  redemptionId: string;
  voucherCount: number;
  amountCents: bigint;
}

/** A line written for a pass. */
export interface WrittenLine {
  redemptionId: string;
  voucherId: string;
  faceValueCents: bigint;
}

/**
 * Puts the next `limit` unsettled live redemptions (oldest first) of the association before the cut-off on
 * the statement, one line per live pass, and adds them to the statement's totals by venue and funder: one
 * statement, one round trip. Returns the redemptions and their lines (the passes to move to `settled`).
 * The primary key of statement_redemptions refuses a redemption that is already on any statement.
 */
export async function addRedemptionChunk(
  db: Db,
  draft: DraftStatement,
  limit: number,
): Promise<{ redemptions: ChunkRedemption[]; lines: WrittenLine[] }> {
  const rows = rowsOf<{
    kind: 'r' | 'l';
    redemption_id: string;
    voucher_id: string | null;
    voucher_count: number | null;
    cents: string;
  }>(
    await db.raw(
      `with picked as (
         insert into settlement.statement_redemptions
           (redemption_id, statement_id, venue_id, catalogue_service_id, service_category, redeemed_at, voucher_count, amount_cents)
         select r.id, ?::uuid, r.venue_id, r.catalogue_service_id, r.service_category, r.redeemed_at, r.voucher_count, r.amount_cents
           from redemption.redemptions r
          where r.association_id = ?::uuid and r.status = 'live' and r.redeemed_at < ?::timestamptz
            -- a scalar subquery is a primary-key probe per row; NOT EXISTS may become a hash anti-join that
            -- reads every redemption ever settled, once per chunk
            and (select sr.redemption_id from settlement.statement_redemptions sr where sr.redemption_id = r.id) is null
          order by r.redeemed_at, r.id
          limit ?
         returning redemption_id, venue_id, voucher_count, amount_cents
       ), lines as (
         insert into settlement.statement_lines (redemption_id, voucher_id, batch_id, funder_id, venue_id, face_value_cents)
         select rv.redemption_id, rv.voucher_id, rv.batch_id, rv.funder_id, p.venue_id, rv.face_value_cents
           from picked p
           -- lateral: one primary-key probe per redemption, never a scan of the whole table
           cross join lateral (select * from redemption.redemption_vouchers rv
                                where rv.redemption_id = p.redemption_id and rv.live) rv
         returning redemption_id, voucher_id, venue_id, funder_id, face_value_cents
       ), totals as (
         insert into settlement.statement_totals (statement_id, venue_id, funder_id, voucher_count, gross_cents)
         select ?::uuid, venue_id, funder_id, count(*), sum(face_value_cents) from lines group by venue_id, funder_id
         on conflict (statement_id, venue_id, funder_id) do update
           set voucher_count = settlement.statement_totals.voucher_count + excluded.voucher_count,
               gross_cents = settlement.statement_totals.gross_cents + excluded.gross_cents
       )
       select 'r' as kind, redemption_id, null as voucher_id, voucher_count, amount_cents::text as cents from picked
       union all
       select 'l', redemption_id, voucher_id::text, null, face_value_cents::text from lines`,
      [draft.id, draft.associationId, draft.cutoff, limit, draft.id],
    ),
  );
  const redemptions: ChunkRedemption[] = [];
  const lines: WrittenLine[] = [];
  for (const row of rows) {
    if (row.kind === 'r') {
      redemptions.push({
        redemptionId: row.redemption_id,
        voucherCount: Number(row.voucher_count),
        amountCents: toBigint(row.cents),
      });
    } else {
      lines.push({
        redemptionId: row.redemption_id,
        voucherId: row.voucher_id!,
        faceValueCents: toBigint(row.cents),
      });
    }
  }
  return { redemptions, lines };
}

/**
 * Redemptions whose amount or pass count differs from the live passes written for them: the redemption row
 * and its ledger entry would then disagree with the statement, which is for a person to look at.
 */
export function inconsistentRedemptions(
  redemptions: readonly ChunkRedemption[],
  lines: readonly WrittenLine[],
): string[] {
  const written = new Map<string, { count: number; cents: bigint }>();
  for (const line of lines) {
    const sum = written.get(line.redemptionId) ?? { count: 0, cents: 0n };
    sum.count++;
    sum.cents += line.faceValueCents;
    written.set(line.redemptionId, sum);
  }
  return redemptions
    .filter((r) => {
      const sum = written.get(r.redemptionId);
      return !sum || sum.count !== r.voucherCount || sum.cents !== r.amountCents;
    })
    .map((r) => r.redemptionId);
}

/** Totals of a filled draft (one round trip). */
export async function draftTotals(
  db: Db,
  statementId: string,
): Promise<{ redemptionCount: number; voucherCount: number; grossCents: bigint }> {
  const [row] = rowsOf<{ redemptions: string; vouchers: string | null; gross: string | null }>(
    await db.raw(
      `select (select count(*) from settlement.statement_redemptions where statement_id = :id)::text as redemptions,
              sum(voucher_count)::text as vouchers, sum(gross_cents)::text as gross
         from settlement.statement_totals where statement_id = :id`,
      { id: statementId },
    ),
  );
  return {
    redemptionCount: Number(row?.redemptions ?? 0),
    voucherCount: Number(row?.vouchers ?? 0),
    grossCents: row?.gross ? toBigint(row.gross) : 0n,
  };
}

/** Name and address of the association as printed on its statement. */
export interface Payee {
  name: string;
  legalName: string;
  streetName: string;
  buildingNumber: string | null;
  postcode: string;
  town: string;
  country: string;
  siret: string | null;
  rna: string | null;
}

/** Payees of several associations, by association id. */
export async function loadPayees(db: Db, associationIds: readonly string[]): Promise<Map<string, Payee>> {
  const rows = rowsOf<{
    association_id: string;
    name: string;
    legal_name: string;
    street_name: string;
    building_number: string | null;
    postcode: string;
    town: string;
    country: string;
    siret: string | null;
    rna: string | null;
  }>(
    await db.raw(
      `select a.organisation_id as association_id, o.name, a.legal_name, a.street_name, a.building_number,
              a.postcode, a.town, a.country, a.siret, a.rna
         from registry.associations a join registry.organisations o on o.id = a.organisation_id
        where a.organisation_id = any(?::uuid[])`,
      [[...new Set(associationIds)]],
    ),
  );
  return new Map(
    rows.map((row) => [
      row.association_id,
      {
        name: row.name,
        legalName: row.legal_name,
        streetName: row.street_name,
        buildingNumber: row.building_number,
        postcode: row.postcode,
        town: row.town,
        country: row.country,
        siret: row.siret,
        rna: row.rna,
      },
    ]),
  );
}

/** Drops a draft that ended up empty (its redemptions were all on another statement): no number is used. */
export async function deleteEmptyDraft(db: Db, statementId: string): Promise<void> {
  await db('settlement.statement_totals').where({ statement_id: statementId }).delete();
  await db('settlement.statements').where({ id: statementId, status: 'draft' }).delete();
}

/** Marks a draft issued with its number, totals, fee and payee snapshot. */
export async function markIssued(
  db: Db,
  statementId: string,
  issued: {
    number: string;
    year: number;
    sequence: number;
    redemptionCount: number;
    voucherCount: number;
    grossCents: bigint;
    feeCents: bigint;
    netCents: bigint;
    feeEntryId: string | null;
    payee: Payee;
    issuedAt: Date;
  },
): Promise<void> {
  await db('settlement.statements')
    .where({ id: statementId, status: 'draft' })
    .update({
      status: 'issued',
      number: issued.number,
      year: issued.year,
      sequence: issued.sequence,
      redemption_count: issued.redemptionCount,
      voucher_count: issued.voucherCount,
      gross_cents: issued.grossCents.toString(),
      fee_cents: issued.feeCents.toString(),
      net_cents: issued.netCents.toString(),
      fee_entry_id: issued.feeEntryId,
      payee: JSON.stringify(issued.payee),
      issued_at: issued.issuedAt,
    });
}
