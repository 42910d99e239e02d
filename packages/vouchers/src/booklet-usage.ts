import type { Db } from '@pass/db';
import { rowsOf } from './db-rows';

/** What the funder sees per booklet (issue #5): issued, distributed, started, finished. */
export type BookletState = 'issued' | 'distributed' | 'started' | 'finished';

/** Pass counts of one booklet. */
export interface BookletUsage {
  booklet: number;
  passes: number;
  distributed: number;
  /** Redeemed or settled. */
  used: number;
  available: number;
  /** Available and not handed out yet: what a distributor can still give. */
  inStock: number;
  cancelled: number;
  expired: number;
  state: BookletState;
}

/**
 * started = at least one pass used; finished = used and none left available; distributed = at least one
 * pass handed to a beneficiary; issued otherwise.
 */
export function bookletState(counts: Pick<BookletUsage, 'distributed' | 'used' | 'available'>): BookletState {
  if (counts.used > 0) return counts.available === 0 ? 'finished' : 'started';
  return counts.distributed > 0 ? 'distributed' : 'issued';
}

const PER_BOOKLET_SQL = `
  select (serial - 1) / ? + 1 as booklet,
         count(*) as passes,
         count(*) filter (where distributed_at is not null) as distributed,
         count(*) filter (where status in ('redeemed', 'settled')) as used,
         count(*) filter (where status = 'available') as available,
         count(*) filter (where status = 'available' and distributed_at is null) as in_stock,
         count(*) filter (where status = 'cancelled') as cancelled,
         count(*) filter (where status = 'expired') as expired
    from vouchers.vouchers
   where batch_id = ? and serial between ? and ?
   group by 1`;

/** Usage of booklets `fromBooklet..toBooklet` of a batch (an index range scan on (batch_id, serial)). */
export async function bookletUsage(
  db: Db,
  batch: { id: string; bookletSize: number },
  fromBooklet: number,
  toBooklet: number,
): Promise<BookletUsage[]> {
  const rows = rowsOf<Record<string, number | string>>(
    await db.raw(`${PER_BOOKLET_SQL} order by 1`, [
      batch.bookletSize,
      batch.id,
      (fromBooklet - 1) * batch.bookletSize + 1,
      toBooklet * batch.bookletSize,
    ]),
  );
  return rows.map((row) => {
    const counts = {
      booklet: Number(row.booklet),
      passes: Number(row.passes),
      distributed: Number(row.distributed),
      used: Number(row.used),
      available: Number(row.available),
      inStock: Number(row.in_stock),
      cancelled: Number(row.cancelled),
      expired: Number(row.expired),
    };
    return { ...counts, state: bookletState(counts) };
  });
}

/** How many booklets of a batch are in each state (one pass over the batch's passes). */
export async function bookletStateCounts(
  db: Db,
  batch: { id: string; bookletSize: number; voucherCount: number },
): Promise<Record<BookletState, number>> {
  const [row] = rowsOf<Record<BookletState, number | string>>(
    await db.raw(
      `select count(*) filter (where used > 0 and available = 0) as finished,
              count(*) filter (where used > 0 and available > 0) as started,
              count(*) filter (where used = 0 and distributed > 0) as distributed,
              count(*) filter (where used = 0 and distributed = 0) as issued
         from (${PER_BOOKLET_SQL}) per_booklet`,
      [batch.bookletSize, batch.id, 1, batch.voucherCount],
    ),
  );
  return {
    issued: Number(row?.issued ?? 0),
    distributed: Number(row?.distributed ?? 0),
    started: Number(row?.started ?? 0),
    finished: Number(row?.finished ?? 0),
  };
}
