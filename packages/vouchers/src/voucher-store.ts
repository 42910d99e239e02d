import type { Db } from '@pass/db';
import { batchFromRow, type DbBatchRow, type DbVoucherRow, rowsOf, voucherFromRow } from './db-rows';
import type { Voucher, VoucherWithBatch } from './voucher-status';

// One statement, two index probes: the unique lookup_hash index, then the batches primary key. Batch
// columns are prefixed so both rows come back side by side.
const WITH_BATCH_SQL = `
  select v.id::text as id, v.batch_id, v.serial, v.status, v.status_reason, v.status_changed_at, v.distributed_at,
         b.id as b_id, b.number as b_number, b.funder_id as b_funder_id, b.status as b_status,
         b.face_value_cents::text as b_face_value_cents, b.currency as b_currency, b.booklet_size as b_booklet_size,
         b.booklet_count as b_booklet_count, b.voucher_count as b_voucher_count,
         b.valid_from::text as b_valid_from, b.valid_until::text as b_valid_until,
         b.tolerance_days as b_tolerance_days, b.territory_departements as b_territory_departements,
         b.territory_communes as b_territory_communes, b.service_categories as b_service_categories,
         b.created_at as b_created_at, b.submitted_at as b_submitted_at, b.activated_at as b_activated_at,
         b.closed_at as b_closed_at
    from vouchers.vouchers v
    join vouchers.batches b on b.id = v.batch_id`;

type JoinedRow = DbVoucherRow & Record<string, unknown>;

function withBatchFromRow(row: JoinedRow): VoucherWithBatch {
  const batchRow: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith('b_')) batchRow[key.slice(2)] = value;
  return { ...voucherFromRow(row), batch: batchFromRow(batchRow as unknown as DbBatchRow) };
}

/** The pass whose code hashes to `lookupHash` (voucherLookupHash), with its batch terms, or undefined. */
export async function findVoucherByLookupHash(
  db: Db,
  lookupHash: Buffer,
): Promise<VoucherWithBatch | undefined> {
  const rows = rowsOf<JoinedRow>(await db.raw(`${WITH_BATCH_SQL} where v.lookup_hash = ?`, [lookupHash]));
  return rows[0] ? withBatchFromRow(rows[0]) : undefined;
}

/** Several passes by lookup hash (a redemption of N passes); missing hashes are simply absent. */
export async function findVouchersByLookupHashes(
  db: Db,
  lookupHashes: readonly Buffer[],
): Promise<Map<string, VoucherWithBatch>> {
  if (lookupHashes.length === 0) return new Map();
  const rows = rowsOf<JoinedRow & { lookup_hex: string }>(
    await db.raw(
      `${WITH_BATCH_SQL.replace('select v.id::text', "select encode(v.lookup_hash, 'hex') as lookup_hex, v.id::text")}
        where v.lookup_hash in (select decode(h, 'hex') from unnest(?::text[]) as h)`,
      [lookupHashes.map((hash) => hash.toString('hex'))],
    ),
  );
  return new Map(rows.map((row) => [row.lookup_hex, withBatchFromRow(row)]));
}

/** A pass by id with its batch, or undefined. */
export async function findVoucherById(db: Db, voucherId: string): Promise<VoucherWithBatch | undefined> {
  const rows = rowsOf<JoinedRow>(await db.raw(`${WITH_BATCH_SQL} where v.id = ?::bigint`, [voucherId]));
  return rows[0] ? withBatchFromRow(rows[0]) : undefined;
}

/** A pass by batch and serial, or undefined. */
export async function findVoucherBySerial(
  db: Db,
  batchId: string,
  serial: number,
): Promise<Voucher | undefined> {
  const row = await db<DbVoucherRow>('vouchers.vouchers')
    .where({ batch_id: batchId, serial })
    .first('id', 'batch_id', 'serial', 'status', 'status_reason', 'status_changed_at', 'distributed_at');
  return row ? voucherFromRow(row) : undefined;
}

/** Passes of a batch in a serial range, by serial. */
export async function listVouchersInRange(
  db: Db,
  batchId: string,
  fromSerial: number,
  toSerial: number,
): Promise<Voucher[]> {
  const rows = await db<DbVoucherRow>('vouchers.vouchers')
    .where('batch_id', batchId)
    .whereBetween('serial', [fromSerial, toSerial])
    .orderBy('serial')
    .select('id', 'batch_id', 'serial', 'status', 'status_reason', 'status_changed_at', 'distributed_at');
  return rows.map(voucherFromRow);
}

/** Pass counts of a batch by what happened to them (DESIGN §3 expiry alert: issued, distributed, started...). */
export interface BatchVoucherCounts {
  issued: number;
  /** Handed to a beneficiary (whatever happened next). */
  distributed: number;
  available: number;
  redeemed: number;
  settled: number;
  cancelled: number;
  expired: number;
}

/** Counts of the passes of a batch. */
export async function batchVoucherCounts(db: Db, batchId: string): Promise<BatchVoucherCounts> {
  const [row] = rowsOf<Record<keyof BatchVoucherCounts, number | string>>(
    await db.raw(
      `select count(*) as issued,
              count(*) filter (where distributed_at is not null) as distributed,
              count(*) filter (where status = 'available') as available,
              count(*) filter (where status = 'redeemed') as redeemed,
              count(*) filter (where status = 'settled') as settled,
              count(*) filter (where status = 'cancelled') as cancelled,
              count(*) filter (where status = 'expired') as expired
         from vouchers.vouchers where batch_id = ?`,
      [batchId],
    ),
  );
  const value = (key: keyof BatchVoucherCounts) => Number(row?.[key] ?? 0);
  return {
    issued: value('issued'),
    distributed: value('distributed'),
    available: value('available'),
    redeemed: value('redeemed'),
    settled: value('settled'),
    cancelled: value('cancelled'),
    expired: value('expired'),
  };
}

/** Highest serial stored for a batch (0 when none): generation resumes after it. */
export async function maxSerial(db: Db, batchId: string): Promise<number> {
  const row = await db('vouchers.vouchers')
    .where('batch_id', batchId)
    .max<{ max: number | null }>('serial as max')
    .first();
  return Number(row?.max ?? 0);
}
