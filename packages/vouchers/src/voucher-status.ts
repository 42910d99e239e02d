import { isInTerritory } from '@pass/territory';

/** What is stored per pass. Being usable is derived: available AND batch active AND inside validity. */
export const VOUCHER_STATUSES = ['available', 'redeemed', 'settled', 'cancelled', 'expired'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

/** Batch lifecycle (DESIGN §3): passes exist from generation on, but none is usable before `active`. */
export const BATCH_STATUSES = ['draft', 'awaiting_funding', 'active', 'closed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** What people see for a pass (DESIGN §3), derived from the stored status, the batch and the date. */
export const VOUCHER_DISPLAY_STATES = [
  'generated',
  'active',
  'distributed',
  'redeemed',
  'settled',
  'cancelled',
  'expired',
] as const;
export type VoucherDisplayState = (typeof VOUCHER_DISPLAY_STATES)[number];

/** Why a funder revokes a pass. */
export const CANCEL_REASONS = ['lost', 'stolen', 'damaged', 'fraud', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** French labels of the cancel reasons, for screens and refusals. */
export const CANCEL_REASON_LABELS: Readonly<Record<CancelReason, string>> = {
  lost: 'perdu',
  stolen: 'volé',
  damaged: 'abîmé',
  fraud: 'fraude',
  other: 'autre motif',
};

/** A batch's territory: départements and/or INSEE commune codes; both empty means anywhere. */
export interface BatchTerritory {
  departements: string[];
  communes: string[];
}

/** The terms every pass of a batch shares (vouchers.batches). Money in integer cents. */
export interface Batch {
  id: string;
  number: number;
  funderId: string;
  status: BatchStatus;
  faceValueCents: bigint;
  currency: string;
  bookletSize: 5 | 10;
  bookletCount: number;
  voucherCount: number;
  /** ISO dates `YYYY-MM-DD`. */
  validFrom: string;
  validUntil: string;
  toleranceDays: number;
  territory: BatchTerritory;
  serviceCategories: string[];
  createdAt: Date;
  submittedAt: Date | null;
  activatedAt: Date | null;
  closedAt: Date | null;
}

/** One pass (vouchers.vouchers); the code is never stored, only its keyed hash. */
export interface Voucher {
  /** bigint id as a decimal string. */
  id: string;
  batchId: string;
  serial: number;
  status: VoucherStatus;
  statusReason: string | null;
  statusChangedAt: Date | null;
  distributedAt: Date | null;
}

/** A pass with its batch terms, as a redemption or a public check needs it: one indexed lookup. */
export interface VoucherWithBatch extends Voucher {
  batch: Batch;
}

/** Booklet number (1-based) of a serial. */
export function bookletOf(serial: number, bookletSize: number): number {
  return Math.floor((serial - 1) / bookletSize) + 1;
}

/** First and last serial of a booklet. */
export function serialsOfBooklet(booklet: number, bookletSize: number): { from: number; to: number } {
  return { from: (booklet - 1) * bookletSize + 1, to: booklet * bookletSize };
}

/** The human reference of a batch: LOT-000042. */
export function batchReference(batchNumber: number): string {
  return `LOT-${String(batchNumber).padStart(6, '0')}`;
}

/** The serial printed on a pass: <batch number>-<serial>, e.g. 000042-0000123. */
export function serialLabel(batchNumber: number, serial: number): string {
  return `${String(batchNumber).padStart(6, '0')}-${String(serial).padStart(7, '0')}`;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date `YYYY-MM-DD` of an instant in a time zone (validity dates are local dates). */
export function businessDate(now: Date, timeZone = 'Europe/Paris'): string {
  let format = dateFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormatters.set(timeZone, format);
  }
  return format.format(now);
}

/** An ISO date plus a number of days (may be negative). */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Last day a pass of the batch is accepted: valid_until plus the tolerance. */
export function lastAcceptedDate(batch: Pick<Batch, 'validUntil' | 'toleranceDays'>): string {
  return addDays(batch.validUntil, batch.toleranceDays);
}

/** Days before valid_until from which distribution to beneficiaries is blocked (DESIGN §3: J-15). */
export const DISTRIBUTION_STOP_DAYS = 15;

/** First day on which passes of the batch can no longer be handed out (valid_until - 15 days). */
export function distributionStopDate(batch: Pick<Batch, 'validUntil'>): string {
  return addDays(batch.validUntil, -DISTRIBUTION_STOP_DAYS);
}

/** The state people see, from the stored status, the batch status and the date. */
export function displayState(
  voucher: Pick<Voucher, 'status' | 'distributedAt'>,
  batch: Pick<Batch, 'status' | 'validUntil' | 'toleranceDays'>,
  now: Date,
  timeZone = 'Europe/Paris',
): VoucherDisplayState {
  switch (voucher.status) {
    case 'redeemed':
    case 'settled':
    case 'cancelled':
    case 'expired':
      return voucher.status;
    case 'available':
      break;
    default: {
      const unknown: never = voucher.status;
      throw new Error(`unknown voucher status ${String(unknown)}`);
    }
  }
  switch (batch.status) {
    case 'draft':
    case 'awaiting_funding':
      return 'generated';
    // A closed batch still holding available passes was abandoned before activation: never usable.
    case 'closed':
      return 'cancelled';
    case 'active':
      if (businessDate(now, timeZone) > lastAcceptedDate(batch)) return 'expired';
      return voucher.distributedAt ? 'distributed' : 'active';
    default: {
      const unknown: never = batch.status;
      throw new Error(`unknown batch status ${String(unknown)}`);
    }
  }
}

/** Why a pass cannot be used (redemption and the public check branch on these). */
export type VoucherRefusal =
  | 'cancelled'
  | 'expired'
  | 'already_redeemed'
  | 'already_settled'
  | 'batch_not_active'
  | 'not_yet_valid'
  | 'outside_territory'
  | 'category_not_allowed';

export type VoucherUsability =
  | { ok: true }
  | { ok: false; reason: VoucherRefusal; cancelReason?: string | null };

/** Where and for what a pass would be used; either may be omitted to check the pass alone. */
export interface UsePlace {
  venueInseeCode?: string | null;
  serviceCategory?: string;
}

/**
 * Whether a pass can be used now (and at a venue for a service category when given). Pure: the caller
 * looked the pass up; the conditional UPDATE of markRedeemed stays the guard against races.
 */
export function checkVoucherUsable(
  voucher: VoucherWithBatch,
  now: Date,
  place: UsePlace = {},
  timeZone = 'Europe/Paris',
): VoucherUsability {
  const { batch } = voucher;
  switch (voucher.status) {
    case 'cancelled':
      return { ok: false, reason: 'cancelled', cancelReason: voucher.statusReason };
    case 'expired':
      return { ok: false, reason: 'expired' };
    case 'redeemed':
      return { ok: false, reason: 'already_redeemed' };
    case 'settled':
      return { ok: false, reason: 'already_settled' };
    case 'available':
      break;
    default: {
      const unknown: never = voucher.status;
      throw new Error(`unknown voucher status ${String(unknown)}`);
    }
  }
  if (batch.status !== 'active') return { ok: false, reason: 'batch_not_active' };
  const today = businessDate(now, timeZone);
  if (today < batch.validFrom) return { ok: false, reason: 'not_yet_valid' };
  if (today > lastAcceptedDate(batch)) return { ok: false, reason: 'expired' };
  if (place.venueInseeCode !== undefined && !isInTerritory(batch.territory, place.venueInseeCode)) {
    return { ok: false, reason: 'outside_territory' };
  }
  if (
    place.serviceCategory !== undefined &&
    batch.serviceCategories.length > 0 &&
    !batch.serviceCategories.includes(place.serviceCategory)
  ) {
    return { ok: false, reason: 'category_not_allowed' };
  }
  return { ok: true };
}
