import type { Db, Migration } from '@pass/db';
import { isInTerritory } from '@pass/territory';
import { batchFromRow, type DbBatchRow, type DbVoucherRow, rowsOf, voucherFromRow } from './db-rows';
import type { EventContext } from './voucher-events';
import {
  businessDate,
  lastAcceptedDate,
  type UsePlace,
  type VoucherRefusal,
  type VoucherWithBatch,
} from './voucher-status';
import type { VoucherRef } from './voucher-transitions';

/**
 * The columns of a pass (`vouchers.vouchers v`) and its batch (`vouchers.batches b`, prefixed `b_`), for a
 * caller that reads passes inside a larger query of its own (redemption reads its venue and the passes in one
 * round trip). Same columns as voucher-store.ts; map the rows with voucherWithBatchFromRow.
 */
export const VOUCHER_WITH_BATCH_COLUMNS = `
  v.id::text as id, v.batch_id, v.serial, v.status, v.status_reason, v.status_changed_at, v.distributed_at,
  b.id as b_id, b.number as b_number, b.funder_id as b_funder_id, b.status as b_status,
  b.face_value_cents::text as b_face_value_cents, b.currency as b_currency, b.booklet_size as b_booklet_size,
  b.booklet_count as b_booklet_count, b.voucher_count as b_voucher_count,
  b.valid_from::text as b_valid_from, b.valid_until::text as b_valid_until,
  b.tolerance_days as b_tolerance_days, b.territory_departements as b_territory_departements,
  b.territory_communes as b_territory_communes, b.service_categories as b_service_categories,
  b.created_at as b_created_at, b.submitted_at as b_submitted_at, b.activated_at as b_activated_at,
  b.closed_at as b_closed_at`;

/** Maps a row selected with VOUCHER_WITH_BATCH_COLUMNS (extra columns are ignored). */
export function voucherWithBatchFromRow(row: Record<string, unknown>): VoucherWithBatch {
  const batchRow: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith('b_')) batchRow[key.slice(2)] = value;
  return {
    ...voucherFromRow(row as unknown as DbVoucherRow),
    batch: batchFromRow(batchRow as unknown as DbBatchRow),
  };
}

/**
 * Every reason a pass cannot be used now at this place, in the order checkVoucherUsable tests them (its
 * answer is the first of these). A redemption screen shows them all at once, so an agent who has one pass
 * both expired and outside the territory learns both. Empty means usable.
 */
export function voucherRefusals(
  voucher: VoucherWithBatch,
  now: Date,
  place: UsePlace = {},
  timeZone = 'Europe/Paris',
): VoucherRefusal[] {
  const { batch } = voucher;
  const reasons: VoucherRefusal[] = [];
  switch (voucher.status) {
    case 'cancelled':
      return ['cancelled'];
    case 'expired':
      return ['expired'];
    case 'redeemed':
      return ['already_redeemed'];
    case 'settled':
      return ['already_settled'];
    case 'available':
      break;
    default: {
      const unknown: never = voucher.status;
      throw new Error(`unknown voucher status ${String(unknown)}`);
    }
  }
  if (batch.status !== 'active') reasons.push('batch_not_active');
  const today = businessDate(now, timeZone);
  if (today < batch.validFrom) reasons.push('not_yet_valid');
  if (today > lastAcceptedDate(batch)) reasons.push('expired');
  if (place.venueInseeCode !== undefined && !isInTerritory(batch.territory, place.venueInseeCode)) {
    reasons.push('outside_territory');
  }
  if (
    place.serviceCategory !== undefined &&
    batch.serviceCategories.length > 0 &&
    !batch.serviceCategories.includes(place.serviceCategory)
  ) {
    reasons.push('category_not_allowed');
  }
  return reasons;
}

// Lock first, in ascending id order, then change. Two baskets sharing passes thus always queue on the same
// first pass instead of each holding one the other wants (a plain `id = any(...)` UPDATE locks in plan order:
// key order for an index scan, heap order for a bitmap scan, so two baskets could deadlock). The lock only
// takes rows whose snapshot status is `from`: a redemption never waits for an undo or a settlement of passes
// it could not use anyway. At READ COMMITTED a row another transaction changed meanwhile is re-read when its
// lock is granted (EvalPlanQual), and the guard in the UPDATE skips it: the caller sees fewer rows than asked.
// One event row per run of consecutive serials, as voucher-transitions.ts writes them.
// The statement lives in SQL functions (migration below) so that redemption's one-statement hot path and
// these TypeScript functions run the very same code.
function orderedTransitionFunction(
  name: string,
  from: 'available' | 'redeemed',
  to: 'redeemed' | 'available',
  kind: string,
  guard: string,
  language: 'sql' | 'plpgsql',
): string {
  // A non-inlinable SQL function is parsed and planned again at every call on PostgreSQL ≤ 17; the same
  // statement in PL/pgSQL keeps its plan for the session (see the 20261206 migration below).
  const [open, close] = language === 'plpgsql' ? ['begin return query ', '; end'] : ['', ''];
  return `
    create or replace function vouchers.${name}(
      p_ids bigint[], p_at timestamptz, p_actor text, p_place text, p_reference text, p_details jsonb
    ) returns table (voucher_id bigint, voucher_batch_id uuid, voucher_serial integer)
    language ${language} volatile as $fn$
      ${open}with locked as (
        select v.id from vouchers.vouchers v
         where v.id = any(p_ids) and v.status = '${from}'
         order by v.id
           for update of v
      ), changed as (
        update vouchers.vouchers v set status = '${to}', status_reason = null, status_changed_at = p_at
          from locked
         where v.id = locked.id and v.status = '${from}' ${guard}
        returning v.id, v.batch_id, v.serial
      ), runs as (
        select batch_id, min(serial) as serial_from, max(serial) as serial_to
          from (select batch_id, serial, serial - row_number() over (partition by batch_id order by serial) as grp
                  from changed) numbered
         group by batch_id, grp
      ), logged as (
        insert into vouchers.events (batch_id, serial_from, serial_to, kind, actor, at, place, reason, reference, details)
        select batch_id, serial_from, serial_to, '${kind}', p_actor, p_at, p_place, null, p_reference,
               coalesce(p_details, '{}'::jsonb)
          from runs
      )
      select changed.id, changed.batch_id, changed.serial from changed order by changed.batch_id, changed.serial${close}
    $fn$;`;
}

/**
 * `vouchers.redeem_in_order` and `vouchers.restore_redeemed_in_order`: the ordered transitions of a basket, as
 * SQL functions of this package's schema (the functions below call them; so does redemption's hot path).
 */
export const orderedTransitionFunctions: Migration = {
  name: 'vouchers/20261122000900_ordered_transitions',
  up: async (knex) => {
    await knex.raw(orderedTransitions('sql'));
  },
  down: async (knex) => {
    await knex.raw(`
      drop function if exists vouchers.redeem_in_order(bigint[], timestamptz, text, text, text, jsonb);
      drop function if exists vouchers.restore_redeemed_in_order(bigint[], timestamptz, text, text, text, jsonb);
    `);
  },
};

const orderedTransitions = (language: 'sql' | 'plpgsql') =>
  orderedTransitionFunction(
    'redeem_in_order',
    'available',
    'redeemed',
    'voucher.redeemed',
    "and exists (select 1 from vouchers.batches b where b.id = v.batch_id and b.status = 'active')",
    language,
  ) +
  orderedTransitionFunction(
    'restore_redeemed_in_order',
    'redeemed',
    'available',
    'voucher.redemption_undone',
    '',
    language,
  );

/**
 * The same two functions in PL/pgSQL: as SQL functions they cost 0.65 ms a call on the redemption hot path,
 * of which 0.17 ms was the statement itself (pg_stat_statements, 2026-12-06); PL/pgSQL caches the plan.
 */
export const orderedTransitionsInPlpgsql: Migration = {
  name: 'vouchers/20261206000100_ordered_transitions_plpgsql',
  up: async (knex) => {
    await knex.raw(orderedTransitions('plpgsql'));
  },
  down: async (knex) => {
    await knex.raw(orderedTransitions('sql'));
  },
};

async function runOrdered(
  db: Db,
  fn: 'redeem_in_order' | 'restore_redeemed_in_order',
  voucherIds: readonly string[],
  context: EventContext,
): Promise<VoucherRef[]> {
  if (voucherIds.length === 0) return [];
  const result = await db.raw(
    `select voucher_id::text as id, voucher_batch_id as batch_id, voucher_serial as serial
       from vouchers.${fn}(?::bigint[], ?::timestamptz, ?::text, ?::text, ?::text, ?::jsonb)`,
    [
      [...voucherIds],
      context.at,
      context.actor,
      context.place ?? null,
      context.reference ?? null,
      JSON.stringify(context.details ?? {}),
    ],
  );
  return rowsOf<{ id: string; batch_id: string; serial: number }>(result).map((row) => ({
    id: String(row.id),
    batchId: row.batch_id,
    serial: Number(row.serial),
  }));
}

/**
 * available → redeemed for the passes of a basket, locking them in ascending id order first so concurrent
 * baskets never deadlock; only passes of an active batch change. One round trip, events included. Fewer
 * passes returned than asked means another transaction got one first: the caller refuses the whole basket by
 * rolling back.
 */
export function redeemVouchersInOrder(
  db: Db,
  voucherIds: readonly string[],
  context: EventContext,
): Promise<VoucherRef[]> {
  return runOrdered(db, 'redeem_in_order', voucherIds, context);
}

/**
 * redeemed → available (undo of a redemption), locking in the same ascending id order as
 * redeemVouchersInOrder. A settled pass does not change: fewer passes returned than asked means the
 * redemption went on a statement meanwhile and the undo must be refused.
 */
export function restoreRedeemedVouchersInOrder(
  db: Db,
  voucherIds: readonly string[],
  context: EventContext,
): Promise<VoucherRef[]> {
  return runOrdered(db, 'restore_redeemed_in_order', voucherIds, context);
}

/**
 * The set-based pair behind redemption's grouped writes (several baskets in one transaction):
 * `vouchers.lock_usable_in_order(ids)` locks, in ascending id order, the passes among `ids` that are
 * available in an active batch and returns their ids (the caller decides which baskets it can complete);
 * `vouchers.redeem_many_in_order(ids, ats, actors, places, references)` then moves exactly those passes
 * available → redeemed, each with its own basket's time, actor, place and reference, and logs one event per
 * run of consecutive serials of one basket. Both lock in ascending id order, like redeem_in_order, so any mix
 * of these and the one-basket functions never deadlocks on passes.
 */
export const groupedRedemptionFunctions: Migration = {
  name: 'vouchers/20261206000300_grouped_redemption',
  up: async (knex) => {
    await knex.raw(`
      create or replace function vouchers.lock_usable_in_order(p_ids bigint[])
      returns table (voucher_id bigint)
      language plpgsql volatile as $fn$
      begin
        return query
        select v.id from vouchers.vouchers v
         where v.id = any(p_ids) and v.status = 'available'
           and exists (select 1 from vouchers.batches b where b.id = v.batch_id and b.status = 'active')
         order by v.id
           for update of v;
      end $fn$;

      create or replace function vouchers.redeem_many_in_order(
        p_ids bigint[], p_ats timestamptz[], p_actors text[], p_places text[], p_references text[]
      ) returns table (voucher_id bigint)
      language plpgsql volatile as $fn$
      begin
        return query
        with input as (
          select i.id, i.at, i.actor, i.place, i.reference
            from unnest(p_ids, p_ats, p_actors, p_places, p_references) as i (id, at, actor, place, reference)
        ), locked as (
          select v.id from vouchers.vouchers v
           where v.id = any(p_ids) and v.status = 'available'
           order by v.id
             for update of v
        ), changed as (
          update vouchers.vouchers v set status = 'redeemed', status_reason = null, status_changed_at = input.at
            from locked, input
           where v.id = locked.id and input.id = v.id and v.status = 'available'
             and exists (select 1 from vouchers.batches b where b.id = v.batch_id and b.status = 'active')
          returning v.id, v.batch_id, v.serial, input.at, input.actor, input.place, input.reference
        ), runs as (
          select batch_id, at, actor, place, reference, min(serial) as serial_from, max(serial) as serial_to
            from (select c.*, c.serial - row_number() over (partition by c.batch_id, c.reference order by c.serial) as grp
                    from changed c) numbered
           group by batch_id, at, actor, place, reference, grp
        ), logged as (
          insert into vouchers.events (batch_id, serial_from, serial_to, kind, actor, at, place, reason, reference, details)
          select batch_id, serial_from, serial_to, 'voucher.redeemed', actor, at, place, null, reference, '{}'::jsonb
            from runs
        )
        select changed.id from changed;
      end $fn$;
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      drop function if exists vouchers.lock_usable_in_order(bigint[]);
      drop function if exists vouchers.redeem_many_in_order(bigint[], timestamptz[], text[], text[], text[]);
    `);
  },
};
