import type { Batch, BatchStatus, Voucher, VoucherStatus } from './voucher-status';

/** A vouchers.batches row as the drivers return it (int8 as text, date as ISO text). */
export interface DbBatchRow {
  id: string;
  number: string | number;
  funder_id: string;
  status: BatchStatus;
  face_value_cents: string | number;
  currency: string;
  booklet_size: number;
  booklet_count: number;
  voucher_count: number;
  valid_from: string;
  valid_until: string;
  tolerance_days: number;
  territory_departements: string[];
  territory_communes: string[];
  service_categories: string[];
  created_at: Date | string;
  submitted_at: Date | string | null;
  activated_at: Date | string | null;
  closed_at: Date | string | null;
}

/** A vouchers.vouchers row (without the lookup hash, which nobody outside a lookup needs). */
export interface DbVoucherRow {
  id: string | number;
  batch_id: string;
  serial: number;
  status: VoucherStatus;
  status_reason: string | null;
  status_changed_at: Date | string | null;
  distributed_at: Date | string | null;
}

/** Rows of a knex.raw result on pg ({ rows }) and on PGlite (same shape through knex-pglite). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] })?.rows ?? []) as T[];
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function toDateOrNull(value: Date | string | null): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/** Maps a batch row to the entity; int8 arrives as text on pg and PGlite alike (see @pass/db). */
export function batchFromRow(row: DbBatchRow): Batch {
  return {
    id: row.id,
    number: Number(row.number),
    funderId: row.funder_id,
    status: row.status,
    faceValueCents: BigInt(row.face_value_cents),
    currency: row.currency,
    bookletSize: Number(row.booklet_size) as 5 | 10,
    bookletCount: Number(row.booklet_count),
    voucherCount: Number(row.voucher_count),
    validFrom: String(row.valid_from),
    validUntil: String(row.valid_until),
    toleranceDays: Number(row.tolerance_days),
    territory: { departements: row.territory_departements ?? [], communes: row.territory_communes ?? [] },
    serviceCategories: row.service_categories ?? [],
    createdAt: toDate(row.created_at),
    submittedAt: toDateOrNull(row.submitted_at),
    activatedAt: toDateOrNull(row.activated_at),
    closedAt: toDateOrNull(row.closed_at),
  };
}

/** Maps a voucher row to the entity. */
export function voucherFromRow(row: DbVoucherRow): Voucher {
  return {
    id: String(row.id),
    batchId: row.batch_id,
    serial: Number(row.serial),
    status: row.status,
    statusReason: row.status_reason,
    statusChangedAt: toDateOrNull(row.status_changed_at),
    distributedAt: toDateOrNull(row.distributed_at),
  };
}
