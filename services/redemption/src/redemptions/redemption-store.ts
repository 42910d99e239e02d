import type { Db } from '@pass/db';
import type { VoucherWithBatch } from '@pass/vouchers';
import type { ServiceTerms, UsedAt, VenueTerms } from './redemption';

export type RedemptionStatus = 'live' | 'undone';

/** A redemption (redemption.redemptions). Money in integer cents; ids of ledger entries as decimal strings. */
export interface Redemption {
  id: string;
  venueId: string;
  associationId: string;
  catalogueServiceId: string;
  serviceCategory: string;
  voucherCount: number;
  amountCents: bigint;
  status: RedemptionStatus;
  redeemedAt: Date;
  redeemedBy: string;
  undoneAt: Date | null;
  undoneBy: string | null;
  ledgerEntryId: string;
  undoEntryId: string | null;
}

/** One pass of a redemption, priced at its face value (redemption.redemption_vouchers). */
export interface RedemptionVoucher {
  voucherId: string;
  batchId: string;
  funderId: string;
  faceValueCents: bigint;
  live: boolean;
}

/** A redemption as lists show it: with the venue's and service's names and the printed serials. */
export interface RedemptionView extends Redemption {
  venueName: string | null;
  serviceName: string | null;
  currency: string;
  serials: string[];
}

/** What one request reads: its venue, service, rate-limit scopes, passes (by keyed hash) and key. */
export interface ContextRequest {
  venueId: string;
  serviceId: string;
  scopes: { venue: string; device: string };
  /** Failed lookups after this instant count. */
  since: Date;
  lookupHashes: readonly Buffer[];
  idempotency?: { scope: string; key: string } | undefined;
}

/** Everything a redemption reads, in one query. */
export interface RedemptionContext {
  venue: VenueTerms | undefined;
  /** The service, only when it belongs to the venue. */
  service: ServiceTerms | undefined;
  failures: { venue: number; device: number };
  /** Passes found, by lookup hash (hex). */
  passes: Map<string, VoucherWithBatch>;
  /** The answer already stored under the caller's idempotency key, if any. */
  stored: StoredAnswer | undefined;
}

/** A row of platform.idempotency_keys as the replay needs it. */
export interface StoredAnswer {
  request_hash: string;
  response_status: number;
  response_body: unknown;
}

/** Everything `redemption.redeem_baskets` writes for one basket (see its migration). */
export interface BasketWrite {
  idempotency: { scope: string; key: string; lockKey: string; requestHash: string; response: unknown };
  redemption: Redemption;
  vouchers: readonly RedemptionVoucher[];
  actor: { kind: string; role: string | null };
  requestId: string | null;
  auditSummary: Record<string, unknown>;
  entry: {
    kind: string;
    currency: string;
    effectiveDate: string | null;
    lines: {
      code: string;
      side: string;
      amount: bigint;
      kind: string;
      ownerType: string;
      ownerId: string | null;
      purpose: string;
    }[];
  };
}

/**
 * What `redeemBaskets` did with a basket: written, a first request's answer to replay, a first request still
 * running, or `taken` (a pass went to someone else meanwhile; nothing of the basket was written).
 */
export type BasketWriteOutcome =
  | { outcome: 'created' }
  | { outcome: 'replay'; stored: StoredAnswer }
  | { outcome: 'in_flight' }
  | { outcome: 'taken' };

/** Filters of a list; keyset pagination newest first on (redeemed_at, id). */
export interface RedemptionFilter {
  venueId?: string | undefined;
  associationId?: string | undefined;
  status?: RedemptionStatus | undefined;
  /** Business days, inclusive, in `timeZone`. */
  firstDay: string;
  lastDay: string;
  timeZone: string;
  before?: { redeemedAt: string; id: string } | undefined;
  limit: number;
}

/** Reads and writes of the redemption schema, and the registry reads a redemption needs. */
export interface RedemptionStore {
  /** The contexts of several requests in one query (a group of concurrent requests), one per request, in order. */
  loadContexts(db: Db, requests: readonly ContextRequest[]): Promise<RedemptionContext[]>;
  /** Where and when passes in a live redemption were used, by voucher id. */
  liveRedemptionsOf(db: Db, voucherIds: readonly string[]): Promise<Map<string, UsedAt>>;
  /**
   * Writes checked baskets in one autocommit statement: for each, its passes, ledger entry, redemption, audit
   * row and the answer under its idempotency key, all or nothing per basket; one outcome per basket, in order.
   * Rejects (and writes nothing at all) on any unexpected error.
   */
  redeemBaskets(db: Db, writes: readonly BasketWrite[]): Promise<BasketWriteOutcome[]>;
  /** The redemption and its passes, its row locked until the end of the caller's transaction. */
  findForUpdate(
    db: Db,
    id: string,
  ): Promise<{ redemption: Redemption; vouchers: RedemptionVoucher[] } | undefined>;
  markUndone(db: Db, id: string, undo: { at: Date; by: string; undoEntryId: string }): Promise<void>;
  get(db: Db, id: string): Promise<RedemptionView | undefined>;
  list(db: Db, filter: RedemptionFilter): Promise<RedemptionView[]>;
}
