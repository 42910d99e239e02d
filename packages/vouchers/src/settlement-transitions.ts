import type { Db } from '@pass/db';
import { bookletStateCounts } from './booklet-usage';
import { batchFromRow, type DbBatchRow, rowsOf } from './db-rows';
import type { EventContext } from './voucher-events';
import { addDays, type Batch, DISTRIBUTION_STOP_DAYS, lastAcceptedDate } from './voucher-status';
import { batchVoucherCounts } from './voucher-store';

// Transitions and queries the settlement service needs: settling the passes of a statement all-or-none, and
// the expiry calendar of a batch with its chunked expiry. Settlement never writes the vouchers tables itself.

/** Days before valid_until when the funder is warned that passes will expire (DESIGN §3: J-30). */
export const EXPIRY_ALERT_DAYS = 30;

/** The dates that matter at the end of a batch's life, all ISO dates in the business time zone. */
export interface ExpiryTimeline {
  /** J-30: the funder gets the alert with its counts. */
  alertDate: string;
  /** J-15: passes can no longer be handed to beneficiaries. */
  distributionStopDate: string;
  /** valid_until + tolerance: the last day a pass is accepted. */
  lastAcceptedDate: string;
  /** The day after: what is still available expires (once the undo window of the last day has passed). */
  expiryDate: string;
}

/** The end-of-life calendar of a batch. */
export function expiryTimeline(batch: Pick<Batch, 'validUntil' | 'toleranceDays'>): ExpiryTimeline {
  const lastAccepted = lastAcceptedDate(batch);
  return {
    alertDate: addDays(batch.validUntil, -EXPIRY_ALERT_DAYS),
    distributionStopDate: addDays(batch.validUntil, -DISTRIBUTION_STOP_DAYS),
    lastAcceptedDate: lastAccepted,
    expiryDate: addDays(lastAccepted, 1),
  };
}

/** What the daily expiry job has to do for a batch on a business date (several can be due at once). */
export interface ExpiryDue {
  alert: boolean;
  stopDistribution: boolean;
  expire: boolean;
}

/**
 * Which end-of-life steps are due on `today`. Expiry waits until the expiry date AND until `undoWindowOver`
 * (the undo window of a redemption made on the last accepted day has passed), so an undo can never bring a
 * pass back after the batch expired.
 */
export function expiryDue(
  batch: Pick<Batch, 'validUntil' | 'toleranceDays' | 'status'>,
  today: string,
  undoWindowOver: boolean,
): ExpiryDue {
  if (batch.status !== 'active') return { alert: false, stopDistribution: false, expire: false };
  const timeline = expiryTimeline(batch);
  // Warnings are for passes that can still be used: none once the expiry date has come.
  const beforeExpiry = today < timeline.expiryDate;
  return {
    alert: today >= timeline.alertDate && beforeExpiry,
    stopDistribution: today >= timeline.distributionStopDate && beforeExpiry,
    expire: !beforeExpiry && undoWindowOver,
  };
}

/** Why settling the passes of a statement chunk was refused. */
export type SettleRefusal = { ok: false; reason: 'not_all_redeemed'; settled: number; expected: number };

// redeemed -> settled with one event per run of consecutive serials (as markSettled), answering only the
// count: a statement chunk settles thousands of passes and needs no row back.
const SETTLE_SQL = `
  with changed as (
    update vouchers.vouchers v set status = 'settled', status_changed_at = ?::timestamptz
     where v.id = any(?::bigint[]) and v.status = 'redeemed'
    returning v.batch_id, v.serial
  ), runs as (
    select batch_id, min(serial) as serial_from, max(serial) as serial_to
      from (select batch_id, serial, serial - row_number() over (partition by batch_id order by serial) as grp
              from changed) numbered
     group by batch_id, grp
  ), logged as (
    insert into vouchers.events (batch_id, serial_from, serial_to, kind, actor, at, place, reason, reference, details)
    select batch_id, serial_from, serial_to, 'voucher.settled', ?::text, ?::timestamptz, ?::text, null, ?::text, ?::jsonb
      from runs
  )
  select count(*)::int as count from changed`;

/**
 * redeemed → settled for every pass given, or none: the caller rolls its transaction back on a refusal
 * (a pass was undone or settled by someone else between the read and this UPDATE, whose WHERE clause is the
 * concurrency guard).
 */
export async function settleRedeemedVouchers(
  db: Db,
  voucherIds: readonly string[],
  context: EventContext,
): Promise<{ ok: true; settled: number } | SettleRefusal> {
  const unique = [...new Set(voucherIds)];
  if (unique.length === 0) return { ok: true, settled: 0 };
  const result = await db.raw(SETTLE_SQL, [
    context.at,
    unique,
    context.actor,
    context.at,
    context.place ?? null,
    context.reference ?? null,
    JSON.stringify(context.details ?? {}),
  ]);
  const settled = Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0);
  if (settled !== unique.length)
    return { ok: false, reason: 'not_all_redeemed', settled, expected: unique.length };
  return { ok: true, settled };
}

// The conditional UPDATE and one event per run of consecutive serials, as the other transitions of this
// package do, restricted to a serial range so that a batch of a million passes expires in small chunks.
const EXPIRE_RANGE_SQL = `
  with changed as (
    update vouchers.vouchers v set status = 'expired', status_changed_at = ?::timestamptz
     where v.batch_id = ?::uuid and v.serial between ? and ? and v.status = 'available'
    returning v.batch_id, v.serial
  ), runs as (
    select batch_id, min(serial) as serial_from, max(serial) as serial_to
      from (select batch_id, serial, serial - row_number() over (order by serial) as grp from changed) numbered
     group by batch_id, grp
  ), logged as (
    insert into vouchers.events (batch_id, serial_from, serial_to, kind, actor, at, place, reason, reference, details)
    select batch_id, serial_from, serial_to, 'voucher.expired', ?::text, ?::timestamptz, ?::text, null, ?::text, ?::jsonb
      from runs
  )
  select count(*)::int as count from changed`;

/**
 * available → expired for the passes of a batch with serials in [fromSerial, toSerial]; returns how many
 * changed. The caller posts the ledger entry (count x face value) in the same transaction.
 */
export async function expireAvailableInRange(
  db: Db,
  batchId: string,
  fromSerial: number,
  toSerial: number,
  context: EventContext,
): Promise<number> {
  const result = await db.raw(EXPIRE_RANGE_SQL, [
    context.at,
    batchId,
    fromSerial,
    toSerial,
    context.actor,
    context.at,
    context.place ?? null,
    context.reference ?? null,
    JSON.stringify(context.details ?? {}),
  ]);
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0);
}

/** What the J-30 alert tells the funder about a batch. */
export interface ExpiryAlertCounts {
  /** Passes of the batch. */
  issued: number;
  /** Passes handed to a beneficiary. */
  distributed: number;
  /** Passes still in stock (never handed out) and still usable. */
  notDistributed: number;
  /** Passes used (redeemed or settled). */
  used: number;
  /** Passes handed out and not used yet: what beneficiaries still hold. */
  distributedNotUsed: number;
  /** Booklets with at least one pass used and some left (entamés). */
  bookletsStarted: number;
  /** Booklets fully used. */
  bookletsFinished: number;
  /** Booklets never opened, in stock or handed out. */
  bookletsUntouched: number;
}

/** Counts of the J-30 alert (two scans of the batch's passes, on the (batch_id, serial) index). */
export async function expiryAlertCounts(db: Db, batch: Batch): Promise<ExpiryAlertCounts> {
  const counts = await batchVoucherCounts(db, batch.id);
  const [row] = rowsOf<{ distributed_available: number | string; undistributed_available: number | string }>(
    await db.raw(
      `select count(*) filter (where distributed_at is not null) as distributed_available,
              count(*) filter (where distributed_at is null) as undistributed_available
         from vouchers.vouchers where batch_id = ? and status = 'available'`,
      [batch.id],
    ),
  );
  const booklets = await bookletStateCounts(db, batch);
  return {
    issued: counts.issued,
    distributed: counts.distributed,
    notDistributed: Number(row?.undistributed_available ?? 0),
    used: counts.redeemed + counts.settled,
    distributedNotUsed: Number(row?.distributed_available ?? 0),
    bookletsStarted: booklets.started,
    bookletsFinished: booklets.finished,
    bookletsUntouched: booklets.issued + booklets.distributed,
  };
}

/** Active batches whose J-30 alert date is on or before `isoDate`: the ones the daily expiry job looks at. */
export async function activeBatchesNearingEnd(db: Db, isoDate: string, limit = 10_000): Promise<Batch[]> {
  const rows = await db<DbBatchRow>('vouchers.batches')
    .where('status', 'active')
    .whereRaw('valid_until - ?::int <= ?::date', [EXPIRY_ALERT_DAYS, isoDate])
    .orderBy([{ column: 'valid_until' }, { column: 'id' }])
    .limit(limit)
    .select();
  return rows.map(batchFromRow);
}
