import type { Db } from '@pass/db';
import { rowsOf, toBigint } from '../shared/db-values';

/** A period [from, to); either end may be open (null: since the beginning / up to now). */
export interface ReconciliationPeriod {
  from: Date | null;
  to: Date | null;
}

/**
 * One association: cumulative figures as of the end of the period, and the same identity at its start.
 * redeemed - undone - fees - paid + returned - payable = gap, where every flow comes from the operational
 * rows (redemptions, statements, payouts) and the payable from the ledger; gap must be 0.
 */
export interface AssociationReconciliation {
  associationId: string;
  name: string;
  redeemedCents: bigint;
  undoneCents: bigint;
  feesCents: bigint;
  paidCents: bigint;
  returnedCents: bigint;
  closingPayableCents: bigint;
  openingPayableCents: bigint;
  /** Movements of the period (redeemed net of undo, fees, paid net of returns), for the reader. */
  period: { redeemedCents: bigint; feesCents: bigint; paidCents: bigint };
  gapCents: bigint;
  /** Ledger entries whose amount on the payable differs from the operational row behind them. */
  rows: EntryMismatch[];
}

/** An entry on an account that does not match what the operational tables say. */
export interface EntryMismatch {
  entryId: string | null;
  kind: string | null;
  reference: string | null;
  postedAt: string | null;
  source: string | null;
  sourceId: string | null;
  expectedCents: bigint;
  ledgerCents: bigint;
}

/**
 * One funder, as of the end of the period: funded = redeemed + expired + cancelled + outstanding, with
 * funded (activated batches), redeemed (live), expired and cancelled (passes) from the operational tables and
 * outstanding from the ledger.
 */
export interface FunderReconciliation {
  funderId: string;
  name: string;
  fundedCents: bigint;
  redeemedCents: bigint;
  expiredCents: bigint;
  cancelledCents: bigint;
  outstandingCents: bigint;
  openingGapCents: bigint;
  gapCents: bigint;
  /**
   * Behind a gap: each flow whose operational total differs from the ledger's movements of that kind on the
   * funder's outstanding account, then each batch whose passes do not add up (available passes as outstanding).
   */
  rows: (FlowBreakdown | BatchBreakdown)[];
}

/** One flow of a funder's outstanding vouchers, as the operational tables and as the ledger count it. */
export interface FlowBreakdown {
  flow: 'funded' | 'redeemed' | 'expired' | 'cancelled' | 'other';
  /** Ledger kinds counted in this flow. */
  kinds: string[];
  operationalCents: bigint;
  ledgerCents: bigint;
}

export interface BatchBreakdown {
  batchId: string;
  fundedCents: bigint;
  redeemedCents: bigint;
  expiredCents: bigint;
  cancelledCents: bigint;
  availableCents: bigint;
  gapCents: bigint;
}

export interface ReconciliationReport {
  period: { from: string | null; to: string | null };
  ok: boolean;
  associations: AssociationReconciliation[];
  funders: FunderReconciliation[];
  /** Every non-zero gap, with the rows behind it. */
  alerts: {
    scope: 'association' | 'funder';
    id: string;
    name: string;
    gapCents: bigint;
    rows: (EntryMismatch | FlowBreakdown | BatchBreakdown)[];
  }[];
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');
const FAR_PAST = new Date('1970-01-01T00:00:00Z');
const MAX_ROWS = 200;

// Expected movement of each ledger entry on an association's payable (credit positive), from the rows that
// caused it, next to the entry's actual movement. Grouped by entry: a full outer join then shows entries
// without a cause and causes without an entry.
const ASSOCIATION_ENTRIES_CTE = `
  with expected as (
    select association_id, entry_id, sum(cents) as cents, min(source) as source, min(source_id) as source_id
      from (
        select r.association_id, r.ledger_entry_id as entry_id, r.amount_cents as cents, 'redemption' as source, r.id::text as source_id
          from redemption.redemptions r
        union all
        select r.association_id, r.undo_entry_id, -r.amount_cents, 'redemption_undone', r.id::text
          from redemption.redemptions r where r.undo_entry_id is not null
        union all
        select s.association_id, s.fee_entry_id, -s.fee_cents, 'statement_fee', s.id::text
          from settlement.statements s where s.fee_entry_id is not null
        union all
        select p.association_id, p.sent_entry_id, -p.amount_cents, 'payout_sent', p.id::text
          from settlement.payouts p where p.sent_entry_id is not null
        union all
        select p.association_id, p.rejected_entry_id, p.amount_cents, 'payout_rejected', p.id::text
          from settlement.payouts p where p.rejected_entry_id is not null
      ) causes
     group by association_id, entry_id
  ), actual as (
    select a.owner_id as association_id, l.entry_id,
           sum(case when l.side = 'credit' then l.amount_cents else -l.amount_cents end) as cents
      from ledger.lines l join ledger.accounts a on a.id = l.account_id
     where a.owner_type = 'association' and a.purpose = 'payable'
     group by a.owner_id, l.entry_id
  ), joined as (
    select coalesce(x.association_id, y.association_id) as association_id, coalesce(x.entry_id, y.entry_id) as entry_id,
           x.source, x.source_id, coalesce(x.cents, 0) as expected, coalesce(y.cents, 0) as actual, e.posted_at, e.kind,
           e.reference
      from expected x
      full outer join actual y on y.association_id = x.association_id and y.entry_id = x.entry_id
      left join ledger.entries e on e.id = coalesce(x.entry_id, y.entry_id)
  )`;

async function reconcileAssociations(db: Db, from: Date, to: Date): Promise<AssociationReconciliation[]> {
  const sums = rowsOf<Record<string, string | null>>(
    await db.raw(
      `${ASSOCIATION_ENTRIES_CTE}
       select j.association_id::text as association_id, coalesce(o.name, j.association_id::text) as name,
         sum(j.expected) filter (where j.source = 'redemption' and j.posted_at < :to)::text as redeemed,
         (-sum(j.expected) filter (where j.source = 'redemption_undone' and j.posted_at < :to))::text as undone,
         (-sum(j.expected) filter (where j.source = 'statement_fee' and j.posted_at < :to))::text as fees,
         (-sum(j.expected) filter (where j.source = 'payout_sent' and j.posted_at < :to))::text as paid,
         sum(j.expected) filter (where j.source = 'payout_rejected' and j.posted_at < :to)::text as returned,
         sum(j.actual) filter (where j.posted_at < :to)::text as closing,
         sum(j.actual) filter (where j.posted_at < :from)::text as opening,
         sum(j.expected) filter (where j.source in ('redemption', 'redemption_undone') and j.posted_at >= :from and j.posted_at < :to)::text as period_redeemed,
         (-sum(j.expected) filter (where j.source = 'statement_fee' and j.posted_at >= :from and j.posted_at < :to))::text as period_fees,
         (-sum(j.expected) filter (where j.source in ('payout_sent', 'payout_rejected') and j.posted_at >= :from and j.posted_at < :to))::text as period_paid,
         (sum(j.expected - j.actual) filter (where j.posted_at < :to or j.posted_at is null))::text as gap
         from joined j
         left join registry.organisations o on o.id = j.association_id
        group by j.association_id, o.name
        order by o.name, j.association_id`,
      { from, to },
    ),
  );
  const mismatches = rowsOf<Record<string, string | null>>(
    await db.raw(
      `${ASSOCIATION_ENTRIES_CTE}
       select j.association_id::text as association_id, j.entry_id::text as entry_id, j.kind, j.reference,
              j.posted_at::text as posted_at, j.source, j.source_id, j.expected::text as expected, j.actual::text as actual
         from joined j
        where j.expected <> j.actual and (j.posted_at < :to or j.posted_at is null)
        order by j.association_id, j.entry_id
        limit :limit`,
      { to, limit: MAX_ROWS * 50 },
    ),
  );
  const byAssociation = new Map<string, EntryMismatch[]>();
  for (const row of mismatches) {
    const list = byAssociation.get(row.association_id!) ?? [];
    if (list.length < MAX_ROWS) {
      list.push({
        entryId: row.entry_id ?? null,
        kind: row.kind ?? null,
        reference: row.reference ?? null,
        postedAt: row.posted_at ?? null,
        source: row.source ?? null,
        sourceId: row.source_id ?? null,
        expectedCents: toBigint(row.expected),
        ledgerCents: toBigint(row.actual),
      });
    }
    byAssociation.set(row.association_id!, list);
  }
  const cents = (value: string | null | undefined) => (value ? toBigint(value) : 0n);
  return sums.map((row) => ({
    associationId: row.association_id!,
    name: row.name ?? row.association_id!,
    redeemedCents: cents(row.redeemed),
    undoneCents: cents(row.undone),
    feesCents: cents(row.fees),
    paidCents: cents(row.paid),
    returnedCents: cents(row.returned),
    closingPayableCents: cents(row.closing),
    openingPayableCents: cents(row.opening),
    period: {
      redeemedCents: cents(row.period_redeemed),
      feesCents: cents(row.period_fees),
      paidCents: cents(row.period_paid),
    },
    gapCents: cents(row.gap),
    rows: byAssociation.get(row.association_id!) ?? [],
  }));
}

// Per funder and batch, as of a date: activated face value, live redeemed passes (by their redemption entry),
// expired passes (by their expiry entry), passes cancelled after activation (by their event).
const FUNDER_FLOWS_SQL = `
  with funded as (
    select b.funder_id, b.id as batch_id, b.face_value_cents * b.voucher_count as cents
      from vouchers.batches b where b.activated_at is not null and b.activated_at < :asOf
  ), redeemed as (
    select rv.funder_id, rv.batch_id, sum(rv.face_value_cents) as cents
      from redemption.redemption_vouchers rv
      join redemption.redemptions r on r.id = rv.redemption_id
      join ledger.entries e on e.id = r.ledger_entry_id
      left join ledger.entries u on u.id = r.undo_entry_id
     where e.posted_at < :asOf and (u.id is null or u.posted_at >= :asOf)
     group by rv.funder_id, rv.batch_id
  ), expired as (
    select x.funder_id, p.batch_id, sum(p.amount_cents) as cents
      from settlement.expiry_postings p
      join settlement.batch_expiries x on x.batch_id = p.batch_id
      join ledger.entries e on e.id = p.entry_id
     where e.posted_at < :asOf
     group by x.funder_id, p.batch_id
  ), cancelled as (
    select b.funder_id, b.id as batch_id, sum((ev.serial_to - ev.serial_from + 1) * b.face_value_cents) as cents
      from vouchers.events ev join vouchers.batches b on b.id = ev.batch_id
     where ev.kind = 'voucher.cancelled' and ev.at < :asOf and b.activated_at is not null and ev.at >= b.activated_at
     group by b.funder_id, b.id
  ), keys as (
    select funder_id, batch_id from funded union select funder_id, batch_id from redeemed
    union select funder_id, batch_id from expired union select funder_id, batch_id from cancelled
  )
  select k.funder_id::text as funder_id, k.batch_id::text as batch_id,
         coalesce(f.cents, 0)::text as funded, coalesce(r.cents, 0)::text as redeemed,
         coalesce(x.cents, 0)::text as expired, coalesce(c.cents, 0)::text as cancelled,
         coalesce((select count(*) from vouchers.vouchers v where v.batch_id = k.batch_id and v.status = 'available'), 0)
           * coalesce((select b.face_value_cents from vouchers.batches b where b.id = k.batch_id and b.status = 'active'), 0) as available
    from keys k
    left join funded f on f.batch_id = k.batch_id
    left join redeemed r on r.batch_id = k.batch_id
    left join expired x on x.batch_id = k.batch_id
    left join cancelled c on c.batch_id = k.batch_id
   order by k.funder_id, k.batch_id`;

// The funder's outstanding account moved by kind of entry (credit positive), as of a date.
const OUTSTANDING_BY_KIND_SQL = `
  select a.owner_id::text as funder_id, e.kind,
         sum(case when l.side = 'credit' then l.amount_cents else -l.amount_cents end)::text as cents
    from ledger.accounts a
    join ledger.lines l on l.account_id = a.id
    join ledger.entries e on e.id = l.entry_id
   where a.owner_type = 'funder' and a.purpose = 'vouchers_outstanding' and e.posted_at < :asOf
   group by a.owner_id, e.kind`;

/** Which flow each entry kind on the outstanding account belongs to, and its sign there. */
const FLOW_OF_KIND: Readonly<Record<string, { flow: FlowBreakdown['flow']; sign: 1n | -1n }>> = {
  batch_activated: { flow: 'funded', sign: 1n },
  redemption: { flow: 'redeemed', sign: -1n },
  redemption_undone: { flow: 'redeemed', sign: -1n },
  expiry: { flow: 'expired', sign: -1n },
  voucher_cancelled: { flow: 'cancelled', sign: -1n },
};

const OUTSTANDING_SQL = `
  select a.owner_id::text as funder_id,
         coalesce(sum(case when l.side = 'credit' then l.amount_cents else -l.amount_cents end), 0)::text as cents
    from ledger.accounts a
    join ledger.lines l on l.account_id = a.id
    join ledger.entries e on e.id = l.entry_id
   where a.owner_type = 'funder' and a.purpose = 'vouchers_outstanding' and e.posted_at < :asOf
   group by a.owner_id`;

interface FunderTotals {
  funded: bigint;
  redeemed: bigint;
  expired: bigint;
  cancelled: bigint;
  outstanding: bigint;
  batches: BatchBreakdown[];
  /** Ledger movements by flow (positive amounts, as the operational totals are). */
  ledgerFlows: Map<FlowBreakdown['flow'], { cents: bigint; kinds: Set<string> }>;
}

async function funderTotalsAsOf(db: Db, asOf: Date): Promise<Map<string, FunderTotals>> {
  const totals = new Map<string, FunderTotals>();
  const get = (funderId: string) => {
    let entry = totals.get(funderId);
    if (!entry) {
      entry = {
        funded: 0n,
        redeemed: 0n,
        expired: 0n,
        cancelled: 0n,
        outstanding: 0n,
        batches: [],
        ledgerFlows: new Map(),
      };
      totals.set(funderId, entry);
    }
    return entry;
  };
  for (const row of rowsOf<Record<string, string | number>>(await db.raw(FUNDER_FLOWS_SQL, { asOf }))) {
    const entry = get(String(row.funder_id));
    const batch: BatchBreakdown = {
      batchId: String(row.batch_id),
      fundedCents: toBigint(String(row.funded)),
      redeemedCents: toBigint(String(row.redeemed)),
      expiredCents: toBigint(String(row.expired)),
      cancelledCents: toBigint(String(row.cancelled)),
      availableCents: toBigint(String(row.available)),
      gapCents: 0n,
    };
    batch.gapCents =
      batch.fundedCents -
      batch.redeemedCents -
      batch.expiredCents -
      batch.cancelledCents -
      batch.availableCents;
    entry.funded += batch.fundedCents;
    entry.redeemed += batch.redeemedCents;
    entry.expired += batch.expiredCents;
    entry.cancelled += batch.cancelledCents;
    entry.batches.push(batch);
  }
  for (const row of rowsOf<{ funder_id: string; cents: string }>(await db.raw(OUTSTANDING_SQL, { asOf }))) {
    get(row.funder_id).outstanding = toBigint(row.cents);
  }
  for (const row of rowsOf<{ funder_id: string; kind: string; cents: string }>(
    await db.raw(OUTSTANDING_BY_KIND_SQL, { asOf }),
  )) {
    const { flow, sign } = FLOW_OF_KIND[row.kind] ?? { flow: 'other' as const, sign: 1n as const };
    const flows = get(row.funder_id).ledgerFlows;
    const current = flows.get(flow) ?? { cents: 0n, kinds: new Set<string>() };
    current.cents += sign * toBigint(row.cents);
    current.kinds.add(row.kind);
    flows.set(flow, current);
  }
  return totals;
}

async function reconcileFunders(db: Db, from: Date, to: Date): Promise<FunderReconciliation[]> {
  const atEnd = await funderTotalsAsOf(db, to);
  const atStart =
    from.getTime() > FAR_PAST.getTime() ? await funderTotalsAsOf(db, from) : new Map<string, FunderTotals>();
  const names = new Map(
    rowsOf<{ id: string; name: string }>(
      await db.raw('select id::text as id, name from registry.organisations where id = any(?::uuid[])', [
        [...atEnd.keys()],
      ]),
    ).map((row) => [row.id, row.name]),
  );
  const gapOf = (t: FunderTotals | undefined) =>
    t ? t.funded - t.redeemed - t.expired - t.cancelled - t.outstanding : 0n;
  return [...atEnd.entries()]
    .map(([funderId, t]) => ({
      funderId,
      name: names.get(funderId) ?? funderId,
      fundedCents: t.funded,
      redeemedCents: t.redeemed,
      expiredCents: t.expired,
      cancelledCents: t.cancelled,
      outstandingCents: t.outstanding,
      openingGapCents: gapOf(atStart.get(funderId)),
      gapCents: gapOf(t),
      rows: [...flowRows(t), ...t.batches.filter((batch) => batch.gapCents !== 0n).slice(0, MAX_ROWS)],
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** The flows whose operational total and ledger movements differ. */
function flowRows(totals: FunderTotals): FlowBreakdown[] {
  const operational: Record<FlowBreakdown['flow'], bigint> = {
    funded: totals.funded,
    redeemed: totals.redeemed,
    expired: totals.expired,
    cancelled: totals.cancelled,
    other: 0n,
  };
  return (Object.keys(operational) as FlowBreakdown['flow'][])
    .map((flow) => {
      const ledger = totals.ledgerFlows.get(flow);
      return {
        flow,
        kinds: [...(ledger?.kinds ?? [])].sort(),
        operationalCents: operational[flow],
        ledgerCents: ledger?.cents ?? 0n,
      };
    })
    .filter((row) => row.operationalCents !== row.ledgerCents);
}

/**
 * Reconciles the operational tables with the ledger for a period (DESIGN §4): per association
 * redeemed - undone - fees - paid + returned = closing payable, per funder
 * funded = redeemed + expired + cancelled + outstanding, both as of the end of the period. Any gap is an
 * alert with the rows behind it: the ledger entries that differ from their cause (association) or the
 * batches whose passes do not add up (funder). Read-only; fine on a replica.
 */
export async function reconcile(db: Db, period: ReconciliationPeriod): Promise<ReconciliationReport> {
  const from = period.from ?? FAR_PAST;
  const to = period.to ?? FAR_FUTURE;
  const associations = await reconcileAssociations(db, from, to);
  const funders = await reconcileFunders(db, from, to);
  const alerts: ReconciliationReport['alerts'] = [
    ...associations
      .filter((a) => a.gapCents !== 0n || a.rows.length > 0)
      .map((a) => ({
        scope: 'association' as const,
        id: a.associationId,
        name: a.name,
        gapCents: a.gapCents,
        rows: a.rows,
      })),
    ...funders
      .filter((f) => f.gapCents !== 0n)
      .map((f) => ({
        scope: 'funder' as const,
        id: f.funderId,
        name: f.name,
        gapCents: f.gapCents,
        rows: f.rows,
      })),
  ];
  return {
    period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null },
    ok: alerts.length === 0,
    associations,
    funders,
    alerts,
  };
}
