import type { Db } from '@pass/db';
import { batchFromRow, type DbBatchRow, rowsOf } from './db-rows';
import { type EventContext, recordVoucherEvents } from './voucher-events';
import type { Batch, BatchStatus, BatchTerritory } from './voucher-status';

/** What a new batch needs; it starts as a draft. */
export interface NewBatch {
  id?: string;
  funderId: string;
  faceValueCents: bigint;
  currency?: string;
  bookletSize: 5 | 10;
  bookletCount: number;
  validFrom: string;
  validUntil: string;
  toleranceDays: number;
  territory: BatchTerritory;
  serviceCategories: string[];
}

/** Inserts a draft batch and records `batch.created`; returns it with its number. */
export async function insertBatch(db: Db, input: NewBatch, context: EventContext): Promise<Batch> {
  const [row] = await db('vouchers.batches')
    .insert({
      ...(input.id ? { id: input.id } : {}),
      funder_id: input.funderId,
      status: 'draft',
      face_value_cents: input.faceValueCents.toString(),
      currency: input.currency ?? 'EUR',
      booklet_size: input.bookletSize,
      booklet_count: input.bookletCount,
      voucher_count: input.bookletSize * input.bookletCount,
      valid_from: input.validFrom,
      valid_until: input.validUntil,
      tolerance_days: input.toleranceDays,
      territory_departements: input.territory.departements,
      territory_communes: input.territory.communes,
      service_categories: input.serviceCategories,
      created_at: context.at,
    })
    .returning<DbBatchRow[]>('*');
  const batch = batchFromRow(row!);
  await recordVoucherEvents(db, [{ batchId: batch.id, kind: 'batch.created', ...context }]);
  return batch;
}

/** A batch by id; `forUpdate` locks its row until the end of the caller's transaction. */
export async function getBatch(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Batch | undefined> {
  const query = db<DbBatchRow>('vouchers.batches').where({ id }).first();
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  return row ? batchFromRow(row) : undefined;
}

/** Filters of listBatches; keyset pagination on (created_at, id) newest first. */
export interface BatchFilter {
  funderId?: string | undefined;
  status?: BatchStatus | undefined;
  /** Position of the last row of the previous page. */
  before?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Batches newest first. */
export async function listBatches(db: Db, filter: BatchFilter): Promise<Batch[]> {
  const query = db<DbBatchRow>('vouchers.batches')
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit);
  if (filter.funderId) query.where('funder_id', filter.funderId);
  if (filter.status) query.where('status', filter.status);
  if (filter.before) {
    const { createdAt, id } = filter.before;
    query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [createdAt, id]);
  }
  return (await query.select()).map(batchFromRow);
}

const STAMP_COLUMN: Partial<Record<BatchStatus, string>> = {
  awaiting_funding: 'submitted_at',
  active: 'activated_at',
  closed: 'closed_at',
};

/**
 * Moves a batch from one of `from` to `to` with a conditional UPDATE (the status in the WHERE clause is
 * the guard against two concurrent transitions), and records `batch.<to>`. Returns undefined when the
 * batch was not in one of the `from` states: the caller reads it again to say why.
 */
export async function transitionBatch(
  db: Db,
  id: string,
  transition: { from: readonly BatchStatus[]; to: BatchStatus },
  context: EventContext,
): Promise<Batch | undefined> {
  const stamp = STAMP_COLUMN[transition.to];
  const [row] = await db<DbBatchRow>('vouchers.batches')
    .where({ id })
    .whereIn('status', [...transition.from])
    .update({ status: transition.to, ...(stamp ? { [stamp]: context.at } : {}) })
    .returning<DbBatchRow[]>('*');
  if (!row) return undefined;
  await recordVoucherEvents(db, [{ batchId: id, kind: `batch.${transition.to}`, ...context }]);
  return batchFromRow(row);
}

/** Face value in cents of usable passes (available, batch active) per funder: the ledger invariant's side. */
export async function usableFaceValueByFunder(db: Db): Promise<Map<string, bigint>> {
  const rows = rowsOf<{ funder_id: string; cents: string }>(
    await db.raw(`
      select b.funder_id, sum(b.face_value_cents * c.n)::text as cents
        from vouchers.batches b
        join (select batch_id, count(*) as n from vouchers.vouchers where status = 'available' group by batch_id) c
          on c.batch_id = b.id
       where b.status = 'active'
       group by b.funder_id`),
  );
  return new Map(rows.map((row) => [row.funder_id, BigInt(row.cents)]));
}

/** Every funder that has at least one batch (to check funders whose outstanding should be zero too). */
export async function fundersWithBatches(db: Db): Promise<string[]> {
  const rows = await db('vouchers.batches').distinct('funder_id').select<{ funder_id: string }[]>();
  return rows.map((row) => row.funder_id);
}
