import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { rowsOf } from './db-rows';
import type { EventContext } from './voucher-events';
import type { CancelReason } from './voucher-status';

/** A pass that changed state: enough for the caller to post ledger lines or build statement lines. */
export interface VoucherRef {
  id: string;
  batchId: string;
  serial: number;
}

/** Passes chosen by id, or a serial range of one batch. */
export type VoucherSelection =
  | { ids: readonly string[] }
  | { batchId: string; fromSerial: number; toSerial: number };

interface Transition {
  /** SET clause of the UPDATE, `?` placeholders bound from `setBindings`. */
  set: string;
  setBindings: Knex.RawBinding[];
  /** Extra condition on the current state, e.g. `v.status = 'available'` (the concurrency guard). */
  guard: string;
  kind: string;
  reason?: string | null;
}

function selectionSql(selection: VoucherSelection): { sql: string; bindings: Knex.RawBinding[] } {
  if ('ids' in selection) return { sql: 'v.id = any(?::bigint[])', bindings: [[...selection.ids]] };
  return {
    sql: 'v.batch_id = ?::uuid and v.serial between ? and ?',
    bindings: [selection.batchId, selection.fromSerial, selection.toSerial],
  };
}

// One round trip: the conditional UPDATE, then one event row per run of consecutive serials of the
// passes that actually changed (gaps-and-islands on serial - row_number()), in the same statement. The
// WHERE clause re-checks the current status, so at READ COMMITTED a concurrent writer that got there
// first makes this UPDATE skip the row instead of overwriting it: the caller sees fewer rows than asked.
function transitionSql(set: string, where: string, returning: 'rows' | 'count'): string {
  return `
    with changed as (
      update vouchers.vouchers v set ${set}
       where ${where}
      returning v.id, v.batch_id, v.serial
    ), runs as (
      select batch_id, min(serial) as serial_from, max(serial) as serial_to
        from (select batch_id, serial, serial - row_number() over (partition by batch_id order by serial) as grp
                from changed) numbered
       group by batch_id, grp
    ), logged as (
      insert into vouchers.events (batch_id, serial_from, serial_to, kind, actor, at, place, reason, reference, details)
      select batch_id, serial_from, serial_to, ?::text, ?::text, ?::timestamptz, ?::text, ?::text, ?::text, ?::jsonb
        from runs
       order by batch_id, serial_from
    )
    ${
      returning === 'rows'
        ? 'select id::text as id, batch_id, serial from changed order by batch_id, serial'
        : 'select count(*)::int as count from changed'
    }`;
}

function eventBindings(transition: Transition, context: EventContext): Knex.RawBinding[] {
  return [
    transition.kind,
    context.actor,
    context.at,
    context.place ?? null,
    transition.reason ?? null,
    context.reference ?? null,
    JSON.stringify(context.details ?? {}),
  ];
}

async function applyToSelection(
  db: Db,
  selection: VoucherSelection,
  transition: Transition,
  context: EventContext,
): Promise<VoucherRef[]> {
  if ('ids' in selection && selection.ids.length === 0) return [];
  const where = selectionSql(selection);
  const result = await db.raw(transitionSql(transition.set, `${where.sql} and ${transition.guard}`, 'rows'), [
    ...transition.setBindings,
    ...where.bindings,
    ...eventBindings(transition, context),
  ]);
  return rowsOf<{ id: string; batch_id: string; serial: number }>(result).map((row) => ({
    id: String(row.id),
    batchId: row.batch_id,
    serial: Number(row.serial),
  }));
}

/**
 * available → redeemed, only for passes of an active batch. Returns the passes that changed: fewer than
 * asked means another redemption (or a cancellation) got there first, and the caller must refuse the
 * whole redemption by rolling back its transaction.
 */
export function markRedeemed(
  db: Db,
  voucherIds: readonly string[],
  context: EventContext,
): Promise<VoucherRef[]> {
  return applyToSelection(
    db,
    { ids: voucherIds },
    {
      set: "status = 'redeemed', status_reason = null, status_changed_at = ?",
      setBindings: [context.at],
      guard:
        "v.status = 'available' and exists (select 1 from vouchers.batches b where b.id = v.batch_id and b.status = 'active')",
      kind: 'voucher.redeemed',
    },
    context,
  );
}

/** redeemed → available (undo of a redemption within its window; never once settled). */
export function markAvailableAgain(
  db: Db,
  voucherIds: readonly string[],
  context: EventContext,
): Promise<VoucherRef[]> {
  return applyToSelection(
    db,
    { ids: voucherIds },
    {
      set: "status = 'available', status_reason = null, status_changed_at = ?",
      setBindings: [context.at],
      guard: "v.status = 'redeemed'",
      kind: 'voucher.redemption_undone',
    },
    context,
  );
}

/** redeemed → settled (the redemption was put on a statement). */
export function markSettled(
  db: Db,
  voucherIds: readonly string[],
  context: EventContext,
): Promise<VoucherRef[]> {
  return applyToSelection(
    db,
    { ids: voucherIds },
    {
      set: "status = 'settled', status_changed_at = ?",
      setBindings: [context.at],
      guard: "v.status = 'redeemed'",
      kind: 'voucher.settled',
    },
    context,
  );
}

/** available → cancelled with a reason (lost, stolen...): redemption then refuses the pass with it. */
export function cancelVouchers(
  db: Db,
  selection: VoucherSelection,
  reason: CancelReason,
  context: EventContext,
): Promise<VoucherRef[]> {
  return applyToSelection(
    db,
    selection,
    {
      set: "status = 'cancelled', status_reason = ?, status_changed_at = ?",
      setBindings: [reason, context.at],
      guard: "v.status = 'available'",
      kind: 'voucher.cancelled',
      reason,
    },
    context,
  );
}

/** Marks passes as handed to a beneficiary (still available, not handed out yet). */
export function markDistributed(
  db: Db,
  selection: VoucherSelection,
  context: EventContext,
): Promise<VoucherRef[]> {
  return applyToSelection(
    db,
    selection,
    {
      set: 'distributed_at = ?',
      setBindings: [context.at],
      guard: "v.status = 'available' and v.distributed_at is null",
      kind: 'voucher.distributed',
    },
    context,
  );
}

/**
 * available → expired for every remaining pass of a batch (valid_until + tolerance is over). Returns the
 * count only: a batch can hold a million passes. The caller posts the ledger entry (count × face value).
 */
export async function markExpired(db: Db, batchId: string, context: EventContext): Promise<number> {
  const transition: Transition = {
    set: "status = 'expired', status_changed_at = ?",
    setBindings: [context.at],
    guard: "v.status = 'available'",
    kind: 'voucher.expired',
  };
  const result = await db.raw(
    transitionSql(transition.set, `v.batch_id = ?::uuid and ${transition.guard}`, 'count'),
    [...transition.setBindings, batchId, ...eventBindings(transition, context)],
  );
  return Number(rowsOf<{ count: number }>(result)[0]?.count ?? 0);
}
