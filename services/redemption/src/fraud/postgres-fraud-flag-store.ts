import type { Db } from '@pass/db';
import type { Knex } from 'knex';
import { rowsOf, toDate, toDateOrNull } from '../shared/db-rows';
import type { FlagCandidate, FraudFlagKind, FraudFlagStatus, ScannedRedemption } from './fraud-flag';

/** A recorded flag (redemption.fraud_flags). */
export interface FraudFlag {
  id: string;
  kind: FraudFlagKind;
  dedupKey: string;
  venueId: string | null;
  associationId: string | null;
  voucherId: string | null;
  redemptionId: string | null;
  details: Record<string, unknown>;
  occurrences: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  status: FraudFlagStatus;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

interface DbFlagRow {
  id: string;
  kind: FraudFlagKind;
  dedup_key: string;
  venue_id: string | null;
  association_id: string | null;
  voucher_id: string | null;
  redemption_id: string | null;
  details: Record<string, unknown> | string;
  occurrences: number;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  status: FraudFlagStatus;
  resolved_at: Date | string | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

function fromRow(row: DbFlagRow): FraudFlag {
  return {
    id: row.id,
    kind: row.kind,
    dedupKey: row.dedup_key,
    venueId: row.venue_id,
    associationId: row.association_id,
    voucherId: row.voucher_id === null ? null : String(row.voucher_id),
    redemptionId: row.redemption_id,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
    occurrences: Number(row.occurrences),
    firstSeenAt: toDate(row.first_seen_at),
    lastSeenAt: toDate(row.last_seen_at),
    status: row.status,
    resolvedAt: toDateOrNull(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
  };
}

export interface FraudFlagFilter {
  status?: FraudFlagStatus | undefined;
  kind?: FraudFlagKind | undefined;
  venueId?: string | undefined;
  before?: { lastSeenAt: string; id: string } | undefined;
  limit: number;
}

/** Fraud flags and the reads of the scan. */
export class PostgresFraudFlagStore {
  /**
   * Records flags; a flag whose dedup key exists is updated instead. `repeat: 'count'` adds one occurrence
   * (an event seen again), `repeat: 'replace'` refreshes the details (a scan seeing the same window again).
   */
  async record(db: Db, flags: readonly FlagCandidate[], repeat: 'count' | 'replace'): Promise<void> {
    if (flags.length === 0) return;
    const onConflict =
      repeat === 'count'
        ? 'occurrences = f.occurrences + 1, last_seen_at = greatest(f.last_seen_at, excluded.last_seen_at)'
        : 'details = excluded.details, last_seen_at = greatest(f.last_seen_at, excluded.last_seen_at)';
    // Sorted by key so that two writers upserting overlapping sets lock the rows in the same order.
    const sorted = [...flags].sort((a, b) =>
      a.dedupKey < b.dedupKey ? -1 : a.dedupKey > b.dedupKey ? 1 : 0,
    );
    // Arrays with nulls are bound as they are; knex's types only know arrays of one scalar type.
    const columns = [
      sorted.map((f) => f.kind),
      sorted.map((f) => f.dedupKey),
      sorted.map((f) => f.venueId ?? null),
      sorted.map((f) => f.associationId ?? null),
      sorted.map((f) => f.voucherId ?? null),
      sorted.map((f) => f.redemptionId ?? null),
      sorted.map((f) => JSON.stringify(f.details)),
      sorted.map((f) => f.seenAt),
      sorted.map((f) => f.seenAt),
    ] as unknown as Knex.RawBinding[];
    await db.raw(
      `insert into redemption.fraud_flags as f
         (kind, dedup_key, venue_id, association_id, voucher_id, redemption_id, details, first_seen_at, last_seen_at)
       select * from unnest(?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::bigint[], ?::uuid[], ?::jsonb[],
                            ?::timestamptz[], ?::timestamptz[])
       on conflict (dedup_key) do update set ${onConflict}`,
      columns,
    );
  }

  async list(db: Db, filter: FraudFlagFilter): Promise<FraudFlag[]> {
    const query = db<DbFlagRow>('redemption.fraud_flags')
      .orderBy([
        { column: 'last_seen_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit);
    if (filter.status) query.where('status', filter.status);
    if (filter.kind) query.where('kind', filter.kind);
    if (filter.venueId) query.where('venue_id', filter.venueId);
    if (filter.before) {
      query.whereRaw('(last_seen_at, id) < (?::timestamptz, ?::uuid)', [
        filter.before.lastSeenAt,
        filter.before.id,
      ]);
    }
    return (await query.select()).map(fromRow);
  }

  async get(db: Db, id: string): Promise<FraudFlag | undefined> {
    const row = await db<DbFlagRow>('redemption.fraud_flags').where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  /** Closes an open flag; undefined when it is not open (already resolved). */
  async resolve(
    db: Db,
    id: string,
    resolution: { status: 'confirmed' | 'dismissed'; at: Date; by: string; note: string | null },
  ): Promise<FraudFlag | undefined> {
    const [row] = await db<DbFlagRow>('redemption.fraud_flags')
      .where({ id, status: 'open' })
      .update({
        status: resolution.status,
        resolved_at: resolution.at,
        resolved_by: resolution.by,
        resolution_note: resolution.note,
      })
      .returning<DbFlagRow[]>('*');
    return row ? fromRow(row) : undefined;
  }

  /** Live redemptions since `since`, with what the detection rules need. */
  async recentRedemptions(db: Db, since: Date, until: Date): Promise<ScannedRedemption[]> {
    const rows = rowsOf<{
      id: string;
      venue_id: string;
      association_id: string;
      redeemed_at: Date | string;
      voucher_count: number;
      opening_hours: string | null;
      opening_hours_valid: boolean | null;
      passes: { voucher_id: string | number; batch_id: string; booklet: number }[] | string;
    }>(
      await db.raw(
        `select r.id, r.venue_id, r.association_id, r.redeemed_at, r.voucher_count,
                v.opening_hours, v.opening_hours_valid,
                (select json_agg(json_build_object('voucher_id', rv.voucher_id, 'batch_id', rv.batch_id,
                                                   'booklet', (vv.serial - 1) / b.booklet_size + 1))
                   from redemption.redemption_vouchers rv
                   join vouchers.vouchers vv on vv.id = rv.voucher_id
                   join vouchers.batches b on b.id = rv.batch_id
                  where rv.redemption_id = r.id) as passes
           from redemption.redemptions r
           left join registry.venues v on v.id = r.venue_id
          where r.redeemed_at > ?::timestamptz and r.redeemed_at <= ?::timestamptz and r.status = 'live'
          order by r.redeemed_at`,
        [since, until],
      ),
    );
    return rows.map((row) => {
      const passes = typeof row.passes === 'string' ? JSON.parse(row.passes) : (row.passes ?? []);
      return {
        id: row.id,
        venueId: row.venue_id,
        associationId: row.association_id,
        redeemedAt: toDate(row.redeemed_at),
        // The catalogue may have changed since: the number of passes paid is the price that was charged.
        pricePasses: Number(row.voucher_count),
        openingHours: row.opening_hours_valid ? row.opening_hours : null,
        passes: (passes as { voucher_id: string | number; batch_id: string; booklet: number }[]).map((p) => ({
          voucherId: String(p.voucher_id),
          batchId: p.batch_id,
          booklet: Number(p.booklet),
        })),
      };
    });
  }
}
