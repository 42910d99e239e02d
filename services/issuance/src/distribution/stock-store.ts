import type { Db } from '@pass/db';
import { rowsOf } from '../db-rows';
import type { BookletRange } from './booklet-ranges';

// issuance.booklet_holdings: one row per booklet in a distributor's custody. No row: the booklet is with the
// funder, or it was handed out (nothing left in it to hand out, see bookletsHandedOut). History is in
// vouchers.events.

/**
 * Puts booklets into a distributor's stock; only booklets with no holder are taken. Returns how many were
 * taken: fewer than the range means some were already held, and the caller rolls back.
 */
export async function assignBooklets(
  db: Db,
  batchId: string,
  range: BookletRange,
  distributorId: string,
  at: Date,
): Promise<number> {
  const result = await db.raw(
    `insert into issuance.booklet_holdings (batch_id, booklet, distributor_id, since)
     select ?::uuid, b, ?::uuid, ?::timestamptz from generate_series(?::int, ?::int) as b
     on conflict (batch_id, booklet) do nothing
     returning booklet`,
    [batchId, distributorId, at, range.from, range.to],
  );
  return rowsOf(result).length;
}

/** Moves booklets held by one distributor to another; returns how many moved. */
export async function moveBooklets(
  db: Db,
  batchId: string,
  range: BookletRange,
  fromDistributorId: string,
  toDistributorId: string,
  at: Date,
): Promise<number> {
  const updated = await db('issuance.booklet_holdings')
    .where({ batch_id: batchId, distributor_id: fromDistributorId })
    .whereBetween('booklet', [range.from, range.to])
    .update({ distributor_id: toDistributorId, since: at });
  return Number(updated);
}

/** Takes booklets out of a distributor's stock (back to the funder); returns how many. */
export async function releaseBooklets(
  db: Db,
  batchId: string,
  range: BookletRange,
  distributorId: string,
): Promise<number> {
  const deleted = await db('issuance.booklet_holdings')
    .where({ batch_id: batchId, distributor_id: distributorId })
    .whereBetween('booklet', [range.from, range.to])
    .delete();
  return Number(deleted);
}

/** The distributor holding a booklet, or undefined (with the funder). */
export async function holderOf(db: Db, batchId: string, booklet: number): Promise<string | undefined> {
  const row = await db('issuance.booklet_holdings')
    .where({ batch_id: batchId, booklet })
    .first<{ distributor_id: string } | undefined>('distributor_id');
  return row?.distributor_id;
}

/** Holders of booklets `from..to` of a batch. */
export async function holdersInRange(
  db: Db,
  batchId: string,
  range: BookletRange,
): Promise<Map<number, string>> {
  const rows = await db('issuance.booklet_holdings')
    .where({ batch_id: batchId })
    .whereBetween('booklet', [range.from, range.to])
    .select<{ booklet: number; distributor_id: string }[]>('booklet', 'distributor_id');
  return new Map(rows.map((row) => [Number(row.booklet), row.distributor_id]));
}

/** Booklets each distributor holds in a batch. */
export async function holdingCounts(
  db: Db,
  batchId: string,
): Promise<{ distributorId: string; booklets: number }[]> {
  const rows = await db('issuance.booklet_holdings')
    .where({ batch_id: batchId })
    .groupBy('distributor_id')
    .select<{ distributor_id: string; booklets: string | number }[]>(
      'distributor_id',
      db.raw('count(*) as booklets'),
    );
  return rows.map((row) => ({ distributorId: row.distributor_id, booklets: Number(row.booklets) }));
}

/** Every booklet a distributor holds, by batch. */
export async function bookletsHeldBy(db: Db, distributorId: string): Promise<Map<string, number[]>> {
  const rows = await db('issuance.booklet_holdings')
    .where({ distributor_id: distributorId })
    .orderBy(['batch_id', 'booklet'])
    .select<{ batch_id: string; booklet: number }[]>('batch_id', 'booklet');
  const byBatch = new Map<string, number[]>();
  for (const row of rows) {
    const list = byBatch.get(row.batch_id) ?? [];
    list.push(Number(row.booklet));
    byBatch.set(row.batch_id, list);
  }
  return byBatch;
}

/**
 * Booklets of `range` that have left every stock because they were handed out: at least one pass handed to a
 * beneficiary and none left to hand out. A booklet handed out whole ends up here; so does one whose last pass
 * was handed out singly. One range scan of the batch's passes.
 */
export async function bookletsHandedOut(
  db: Db,
  batch: { id: string; bookletSize: number },
  range: BookletRange,
): Promise<number[]> {
  const result = await db.raw(
    `select booklet from (
       select (serial - 1) / ? + 1 as booklet,
              bool_or(distributed_at is not null) as any_handed_out,
              bool_or(status = 'available' and distributed_at is null) as any_to_hand_out
         from vouchers.vouchers
        where batch_id = ? and serial between ? and ?
        group by 1) per_booklet
      where any_handed_out and not any_to_hand_out
      order by booklet`,
    [batch.bookletSize, batch.id, (range.from - 1) * batch.bookletSize + 1, range.to * batch.bookletSize],
  );
  return rowsOf<{ booklet: number | string }>(result).map((row) => Number(row.booklet));
}

/**
 * Serial ranges of the passes of booklets `range` not handed out to a beneficiary: the passes that move with
 * the paper when booklets change hands (handed-out passes stay with their beneficiaries).
 */
export async function passesNotHandedOut(
  db: Db,
  batch: { id: string; bookletSize: number },
  range: BookletRange,
): Promise<BookletRange[]> {
  const result = await db.raw(
    `select min(serial) as "from", max(serial) as "to"
       from (select serial, serial - row_number() over (order by serial) as island
               from vouchers.vouchers
              where batch_id = ? and serial between ? and ? and distributed_at is null) passes
      group by island
      order by 1`,
    [batch.id, (range.from - 1) * batch.bookletSize + 1, range.to * batch.bookletSize],
  );
  return rowsOf<{ from: number | string; to: number | string }>(result).map((row) => ({
    from: Number(row.from),
    to: Number(row.to),
  }));
}

/** Passes of a booklet still to hand out (available, not handed out). */
export async function passesToHandOut(
  db: Db,
  batch: { id: string; bookletSize: number },
  booklet: number,
): Promise<number> {
  const row = await db('vouchers.vouchers')
    .where({ batch_id: batch.id, status: 'available' })
    .whereNull('distributed_at')
    .whereBetween('serial', [(booklet - 1) * batch.bookletSize + 1, booklet * batch.bookletSize])
    .count<{ count: string | number }[]>('* as count')
    .first();
  return Number(row?.count ?? 0);
}
