import type { Db } from '@pass/db';
import { rowsOf } from '../db-rows';
import type { BookletRange } from './booklet-ranges';

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
