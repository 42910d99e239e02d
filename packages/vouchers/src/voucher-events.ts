import type { Db } from '@pass/db';
import { rowsOf } from './db-rows';

/** Who did it, when, where, and under which business reference: recorded with every transition. */
export interface EventContext {
  /** A user id, `job:<name>` or `system`. */
  actor: string;
  at: Date;
  /** `venue:<uuid>`, `distributor:<uuid>`, or null. */
  place?: string | null;
  /** The business object behind the change, e.g. `redemption:<uuid>`, `cancellation:<uuid>`. */
  reference?: string | null;
  /** Extra facts; never a name (at most a pseudonymous beneficiary reference). */
  details?: Record<string, unknown>;
}

/** An event to record: a batch-level one (no serials) or one covering a run of consecutive serials. */
export interface VoucherEventInput extends EventContext {
  batchId: string;
  /** `batch.<what>` without serials, `voucher.<what>` with them. */
  kind: string;
  serialFrom?: number;
  serialTo?: number;
  reason?: string | null;
}

/** A recorded event. */
export interface VoucherEvent {
  id: string;
  batchId: string;
  serialFrom: number | null;
  serialTo: number | null;
  kind: string;
  actor: string;
  at: Date;
  place: string | null;
  reason: string | null;
  reference: string | null;
  details: Record<string, unknown>;
}

interface DbEventRow {
  id: string | number;
  batch_id: string;
  serial_from: number | null;
  serial_to: number | null;
  kind: string;
  actor: string;
  at: Date | string;
  place: string | null;
  reason: string | null;
  reference: string | null;
  details: Record<string, unknown> | string;
}

function eventFromRow(row: DbEventRow): VoucherEvent {
  return {
    id: String(row.id),
    batchId: row.batch_id,
    serialFrom: row.serial_from === null ? null : Number(row.serial_from),
    serialTo: row.serial_to === null ? null : Number(row.serial_to),
    kind: row.kind,
    actor: row.actor,
    at: row.at instanceof Date ? row.at : new Date(row.at),
    place: row.place,
    reason: row.reason,
    reference: row.reference,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
  };
}

/** Appends events in the caller's transaction (the table refuses UPDATE and DELETE). */
export async function recordVoucherEvents(db: Db, events: readonly VoucherEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db('vouchers.events').insert(
    events.map((event) => ({
      batch_id: event.batchId,
      serial_from: event.serialFrom ?? null,
      serial_to: event.serialTo ?? event.serialFrom ?? null,
      kind: event.kind,
      actor: event.actor,
      at: event.at,
      place: event.place ?? null,
      reason: event.reason ?? null,
      reference: event.reference ?? null,
      details: JSON.stringify(event.details ?? {}),
    })),
  );
}

/** Events of a batch, oldest first, keyset-paginated by id; `serial` keeps those touching one pass. */
export async function listVoucherEvents(
  db: Db,
  filter: { batchId: string; serial?: number; afterId?: string; limit: number },
): Promise<VoucherEvent[]> {
  const query = db<DbEventRow>('vouchers.events')
    .where('batch_id', filter.batchId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.serial !== undefined) {
    const serial = filter.serial;
    query.where((q) =>
      q
        .whereNull('serial_from')
        .orWhere((inner) => inner.where('serial_from', '<=', serial).andWhere('serial_to', '>=', serial)),
    );
  }
  if (filter.afterId) query.where('id', '>', filter.afterId);
  return (await query.select()).map(eventFromRow);
}

/** The whole history of one pass (its own events and its batch's), oldest first. */
export async function voucherHistory(db: Db, voucherId: string): Promise<VoucherEvent[]> {
  const rows = rowsOf<DbEventRow>(
    await db.raw(
      `select e.* from vouchers.events e
         join vouchers.vouchers v on v.batch_id = e.batch_id
        where v.id = ?::bigint
          and (e.serial_from is null or (e.serial_from <= v.serial and e.serial_to >= v.serial))
        order by e.id`,
      [voucherId],
    ),
  );
  return rows.map(eventFromRow);
}
