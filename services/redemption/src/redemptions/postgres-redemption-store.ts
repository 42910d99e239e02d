import { type Db, preparedStatement } from '@pass/db';
import type { Knex } from 'knex';
import { serialLabel, type VoucherWithBatch } from '@pass/vouchers';
import { rowsOf, toDate, toDateOrNull } from '../shared/db-rows';
import { voucherWithBatchFromRow } from '../shared/redemption-transitions';
import type { UsedAt } from './redemption';
import type {
  BasketWrite,
  ContextRequest,
  BasketWriteOutcome,
  Redemption,
  RedemptionContext,
  RedemptionFilter,
  RedemptionStore,
  RedemptionView,
  RedemptionVoucher,
} from './redemption-store';

/** A redemption.redemptions row (int8 as text, see @pass/db). */
interface DbRedemptionRow {
  id: string;
  venue_id: string;
  association_id: string;
  catalogue_service_id: string;
  service_category: string;
  voucher_count: number;
  amount_cents: string;
  status: 'live' | 'undone';
  redeemed_at: Date | string;
  redeemed_by: string;
  undone_at: Date | string | null;
  undone_by: string | null;
  ledger_entry_id: string;
  undo_entry_id: string | null;
}

interface DbRedemptionVoucherRow {
  redemption_id: string;
  voucher_id: string;
  batch_id: string;
  funder_id: string;
  face_value_cents: string;
  live: boolean;
}

function fromRow(row: DbRedemptionRow): Redemption {
  return {
    id: row.id,
    venueId: row.venue_id,
    associationId: row.association_id,
    catalogueServiceId: row.catalogue_service_id,
    serviceCategory: row.service_category,
    voucherCount: Number(row.voucher_count),
    amountCents: BigInt(row.amount_cents),
    status: row.status,
    redeemedAt: toDate(row.redeemed_at),
    redeemedBy: row.redeemed_by,
    undoneAt: toDateOrNull(row.undone_at),
    undoneBy: row.undone_by,
    ledgerEntryId: String(row.ledger_entry_id),
    undoEntryId: row.undo_entry_id === null ? null : String(row.undo_entry_id),
  };
}

function voucherFromRow(row: DbRedemptionVoucherRow): RedemptionVoucher {
  return {
    voucherId: String(row.voucher_id),
    batchId: row.batch_id,
    funderId: row.funder_id,
    faceValueCents: BigInt(row.face_value_cents),
    live: row.live,
  };
}

// The context read of a group of requests: redemption.load_contexts (migration 20261206000400-redeem-baskets.ts
// says what it reads and why it answers two JSON columns). Timestamps thus arrive as ISO text, which the row
// mappers accept.
const CONTEXT_SQL = `
  select request_no as n, context_json as context, pass_json as pass from redemption.load_contexts(?::jsonb)`;

interface DbContextRow {
  /** The request's position in the group, from 1. */
  n: number;
  context: DbContext;
  /** The columns of VOUCHER_WITH_BATCH_COLUMNS and lookup_hex; null when no pass was found. */
  pass: (Record<string, unknown> & { lookup_hex: string }) | null;
}

/** The `context` column: JSON, so numbers arrive as numbers and the stored answer as parsed JSON. */
interface DbContext {
  venue_id: string;
  venue_name: string;
  association_id: string | null;
  accreditation_status: string;
  insee_code: string | null;
  service_id: string | null;
  service_venue_id: string | null;
  service_name: string | null;
  service_category: string | null;
  service_price_passes: number | null;
  service_zero_remainder: boolean | null;
  service_active: boolean | null;
  venue_failures: number;
  device_failures: number;
  stored_request_hash: string | null;
  stored_response_status: number | null;
  stored_response_body: unknown;
}

// One call writes a group of checked baskets (redemption.redeem_baskets): one JSON array parameter.
const REDEEM_BASKETS_SQL = `
  select basket_no, outcome, response_status, response_body, request_hash
    from redemption.redeem_baskets(?::jsonb)`;

// The two statements of a redemption, prepared once per connection.
const loadContextStatement = preparedStatement<DbContextRow>('redemption_load_context', CONTEXT_SQL);
const redeemBasketsStatement = preparedStatement<{
  basket_no: number;
  outcome: string;
  response_status: number | null;
  response_body: unknown;
  request_hash: string | null;
}>('redemption_redeem_baskets', REDEEM_BASKETS_SQL);

/** A basket as redemption.redeem_baskets reads it (redemption.basket_write; int8 as decimal strings). */
function basketJson(write: BasketWrite): Record<string, unknown> {
  const { idempotency, redemption, vouchers, entry } = write;
  return {
    idem_scope: idempotency.scope,
    idem_key: idempotency.key,
    idem_lock: idempotency.lockKey,
    request_hash: idempotency.requestHash,
    response: idempotency.response,
    id: redemption.id,
    venue_id: redemption.venueId,
    association_id: redemption.associationId,
    service_id: redemption.catalogueServiceId,
    service_category: redemption.serviceCategory,
    amount_cents: redemption.amountCents.toString(),
    at: redemption.redeemedAt.toISOString(),
    actor: redemption.redeemedBy,
    actor_kind: write.actor.kind,
    actor_role: write.actor.role,
    request_id: write.requestId,
    audit_summary: write.auditSummary,
    voucher_ids: vouchers.map((v) => v.voucherId),
    batch_ids: vouchers.map((v) => v.batchId),
    funder_ids: vouchers.map((v) => v.funderId),
    face_values: vouchers.map((v) => v.faceValueCents.toString()),
    entry_kind: entry.kind,
    currency: entry.currency,
    effective_date: entry.effectiveDate,
    codes: entry.lines.map((l) => l.code),
    sides: entry.lines.map((l) => l.side),
    amounts: entry.lines.map((l) => l.amount.toString()),
    account_kinds: entry.lines.map((l) => l.kind),
    owner_types: entry.lines.map((l) => l.ownerType),
    owner_ids: entry.lines.map((l) => l.ownerId),
    purposes: entry.lines.map((l) => l.purpose),
  };
}

const VIEW_SQL = `
  select r.*, v.name as venue_name, s.name as service_name,
         (select array_agg(b.number::text || '/' || vv.serial::text order by b.number, vv.serial)
            from redemption.redemption_vouchers rv
            join vouchers.vouchers vv on vv.id = rv.voucher_id
            join vouchers.batches b on b.id = rv.batch_id
           where rv.redemption_id = r.id) as serials,
         (select min(b.currency) from redemption.redemption_vouchers rv join vouchers.batches b on b.id = rv.batch_id
           where rv.redemption_id = r.id) as currency
    from redemption.redemptions r
    left join registry.venues v on v.id = r.venue_id
    left join registry.catalogue_services s on s.id = r.catalogue_service_id`;

type DbViewRow = DbRedemptionRow & {
  venue_name: string | null;
  service_name: string | null;
  serials: string[] | null;
  currency: string | null;
};

function viewFromRow(row: DbViewRow): RedemptionView {
  return {
    ...fromRow(row),
    venueName: row.venue_name,
    serviceName: row.service_name,
    currency: row.currency ?? 'EUR',
    serials: (row.serials ?? []).map((pair) => {
      const [batchNumber, serial] = pair.split('/');
      return serialLabel(Number(batchNumber), Number(serial));
    }),
  };
}

/** The context of one request from its rows (none when its venue does not exist). */
function contextFromRows(rows: readonly DbContextRow[]): RedemptionContext {
  const row = rows[0]?.context;
  const passes = new Map<string, VoucherWithBatch>();
  if (!row) {
    return {
      venue: undefined,
      service: undefined,
      failures: { venue: 0, device: 0 },
      passes,
      stored: undefined,
    };
  }
  for (const { pass } of rows) if (pass) passes.set(pass.lookup_hex, voucherWithBatchFromRow(pass));
  return {
    venue: {
      id: row.venue_id,
      name: row.venue_name,
      associationId: row.association_id,
      accreditationStatus: row.accreditation_status,
      inseeCode: row.insee_code,
    },
    service: row.service_id
      ? {
          id: row.service_id,
          venueId: row.service_venue_id!,
          name: row.service_name!,
          category: row.service_category!,
          pricePasses: Number(row.service_price_passes),
          zeroRemainder: row.service_zero_remainder === true,
          active: row.service_active === true,
        }
      : undefined,
    failures: { venue: Number(row.venue_failures), device: Number(row.device_failures) },
    passes,
    stored:
      row.stored_request_hash === null
        ? undefined
        : {
            request_hash: row.stored_request_hash,
            response_status: Number(row.stored_response_status),
            response_body: row.stored_response_body,
          },
  };
}

/** The redemption schema on PostgreSQL (and PGlite), plus read-only SQL on the registry's tables. */
export class PostgresRedemptionStore implements RedemptionStore {
  async loadContexts(db: Db, inputs: readonly ContextRequest[]): Promise<RedemptionContext[]> {
    if (inputs.length === 0) return [];
    const group = inputs.map((input, index) => {
      // An ISO string binds with less work than a Date (same instant, read as timestamptz in SQL).
      const since = input.since.toISOString();
      return {
        n: index + 1,
        venue_id: input.venueId,
        service_id: input.serviceId,
        venue_scope: input.scopes.venue,
        device_scope: input.scopes.device,
        since,
        idem_scope: input.idempotency?.scope ?? null,
        idem_key: input.idempotency?.key ?? null,
        hashes: input.lookupHashes.map((hash) => hash.toString('hex')),
      };
    });
    const rows = await loadContextStatement(db, [JSON.stringify(group)]);
    const byRequest: DbContextRow[][] = inputs.map(() => []);
    for (const row of rows) byRequest[Number(row.n) - 1]?.push(row);
    return byRequest.map(contextFromRows);
  }

  async liveRedemptionsOf(db: Db, voucherIds: readonly string[]): Promise<Map<string, UsedAt>> {
    if (voucherIds.length === 0) return new Map();
    const rows = rowsOf<{
      voucher_id: string;
      redeemed_at: Date | string;
      venue_id: string;
      association_id: string;
      venue_name: string | null;
    }>(
      await db.raw(
        `select rv.voucher_id::text as voucher_id, r.redeemed_at, r.venue_id, r.association_id, v.name as venue_name
           from redemption.redemption_vouchers rv
           join redemption.redemptions r on r.id = rv.redemption_id
           left join registry.venues v on v.id = r.venue_id
          where rv.voucher_id = any(?::bigint[]) and rv.live`,
        [[...voucherIds]],
      ),
    );
    return new Map(
      rows.map((row) => [
        String(row.voucher_id),
        {
          redeemedAt: toDate(row.redeemed_at),
          venueId: row.venue_id,
          venueName: row.venue_name ?? '',
          associationId: row.association_id,
        },
      ]),
    );
  }

  async redeemBaskets(db: Db, writes: readonly BasketWrite[]): Promise<BasketWriteOutcome[]> {
    if (writes.length === 0) return [];
    const rows = await redeemBasketsStatement(db, [JSON.stringify(writes.map(basketJson))]);
    const outcomes: (BasketWriteOutcome | undefined)[] = new Array(writes.length);
    for (const row of rows) {
      const index = Number(row.basket_no) - 1;
      switch (row.outcome) {
        case 'created':
        case 'in_flight':
        case 'taken':
          outcomes[index] = { outcome: row.outcome };
          break;
        case 'replay':
          outcomes[index] = {
            outcome: 'replay',
            stored: {
              request_hash: row.request_hash!,
              response_status: Number(row.response_status),
              response_body: row.response_body,
            },
          };
          break;
        default:
          throw new Error(`redemption.redeem_baskets answered ${String(row.outcome)}`);
      }
    }
    return outcomes.map((outcome, index) => {
      if (!outcome) throw new Error(`redemption.redeem_baskets said nothing of basket ${index + 1}`);
      return outcome;
    });
  }

  async findForUpdate(
    db: Db,
    id: string,
  ): Promise<{ redemption: Redemption; vouchers: RedemptionVoucher[] } | undefined> {
    const row = await db<DbRedemptionRow>('redemption.redemptions').where({ id }).forUpdate().first();
    if (!row) return undefined;
    const vouchers = await db<DbRedemptionVoucherRow>('redemption.redemption_vouchers')
      .where({ redemption_id: id })
      .orderBy('voucher_id');
    return { redemption: fromRow(row), vouchers: vouchers.map(voucherFromRow) };
  }

  async markUndone(db: Db, id: string, undo: { at: Date; by: string; undoEntryId: string }): Promise<void> {
    await db.raw(
      `with parent as (
         update redemption.redemptions
            set status = 'undone', undone_at = ?::timestamptz, undone_by = ?, undo_entry_id = ?::bigint
          where id = ?::uuid and status = 'live'
         returning id
       )
       update redemption.redemption_vouchers rv set live = false from parent where rv.redemption_id = parent.id`,
      [undo.at, undo.by, undo.undoEntryId, id],
    );
  }

  async get(db: Db, id: string): Promise<RedemptionView | undefined> {
    const [row] = rowsOf<DbViewRow>(await db.raw(`${VIEW_SQL} where r.id = ?::uuid`, [id]));
    return row ? viewFromRow(row) : undefined;
  }

  async list(db: Db, filter: RedemptionFilter): Promise<RedemptionView[]> {
    // Day bounds computed by PostgreSQL in the business time zone: exact on daylight-saving days too.
    const where: string[] = [
      'r.redeemed_at >= (?::date)::timestamp at time zone ?',
      'r.redeemed_at < (?::date + 1)::timestamp at time zone ?',
    ];
    const bindings: Knex.RawBinding[] = [filter.firstDay, filter.timeZone, filter.lastDay, filter.timeZone];
    if (filter.venueId) {
      where.push('r.venue_id = ?::uuid');
      bindings.push(filter.venueId);
    }
    if (filter.associationId) {
      where.push('r.association_id = ?::uuid');
      bindings.push(filter.associationId);
    }
    if (filter.status) {
      where.push('r.status = ?');
      bindings.push(filter.status);
    }
    if (filter.before) {
      where.push('(r.redeemed_at, r.id) < (?::timestamptz, ?::uuid)');
      bindings.push(filter.before.redeemedAt, filter.before.id);
    }
    const rows = rowsOf<DbViewRow>(
      await db.raw(
        `${VIEW_SQL} where ${where.join(' and ')} order by r.redeemed_at desc, r.id desc limit ?`,
        [...bindings, filter.limit],
      ),
    );
    return rows.map(viewFromRow);
  }
}
