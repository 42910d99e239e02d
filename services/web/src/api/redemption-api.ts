import type { Money } from '../lib/format';
import { api } from './client';
import type { Page } from './registry-api';

// Redemption endpoints (services/redemption/src/redemptions/redemption-schemas.ts).

export interface PassRefusal {
  code: string;
  /** French, written by the server for the agent's screen. */
  message: string;
  redeemedAt?: string;
  venueName?: string;
}

export interface PassVerdict {
  index: number;
  ok: boolean;
  serial?: string;
  faceValue?: Money;
  refusals: PassRefusal[];
}

export interface Remainder {
  kind: 'zero' | 'to_agree_with_venue';
  message: string;
}

export interface RedeemedService {
  id: string;
  name: string | null;
  category: string;
  pricePasses: number;
}

export interface BasketCheck {
  ok: boolean;
  code?: string;
  refusals: PassRefusal[];
  passes: PassVerdict[];
  service: RedeemedService;
  amount?: Money;
  remainder: Remainder;
}

export interface Redemption {
  id: string;
  status: 'live' | 'undone';
  venueId: string;
  venueName: string | null;
  service: RedeemedService;
  passCount: number;
  paid: Money;
  remainder?: Remainder;
  serials: string[];
  redeemedAt: string;
  redeemedBy: string;
  undoDeadline: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export interface Basket {
  catalogueServiceId: string;
  /** Raw QR payloads (`PN1.…`) or typed codes, one per pass. */
  codes: string[];
}

/** Checks a basket without redeeming it: a verdict per pass (used for instant feedback after each scan). */
export function checkBasket(basket: Basket, signal?: AbortSignal) {
  return api.post<BasketCheck>('/redemptions/check', basket, { signal });
}

/** Redeems a basket atomically (all passes or none). The key identifies this attempt across retries. */
export function redeem(basket: Basket, idempotencyKey: string) {
  return api.post<Redemption>('/redemptions', basket, { idempotencyKey });
}

/** Undoes a redemption within the window (never after settlement). */
export function undoRedemption(id: string, idempotencyKey: string, reason?: string) {
  return api.post<Redemption>(`/redemptions/${encodeURIComponent(id)}/undo`, reason ? { reason } : {}, {
    idempotencyKey,
  });
}

/** Redemptions of the caller's venue (today by default) or, for a treasurer, of the association's venues. */
export function listRedemptions(
  query: {
    date?: string;
    from?: string;
    to?: string;
    venueId?: string;
    status?: 'live' | 'undone';
    limit?: number;
    cursor?: string;
  },
  signal?: AbortSignal,
) {
  return api.get<Page<Redemption>>('/redemptions', query, signal);
}

export type FraudFlagKind =
  | 'booklet_overuse'
  | 'pass_at_two_venues'
  | 'outside_opening_hours'
  | 'burst'
  | 'repeated_failed_lookups';
export type FraudFlagStatus = 'open' | 'confirmed' | 'dismissed';

export interface FraudFlag {
  id: string;
  kind: FraudFlagKind;
  status: FraudFlagStatus;
  venueId: string | null;
  associationId: string | null;
  voucherId: string | null;
  redemptionId: string | null;
  details: Record<string, unknown>;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export const FRAUD_KIND_LABELS: Readonly<Record<FraudFlagKind, string>> = {
  booklet_overuse: 'Carnet utilisé d’un coup au-delà du prix d’un service',
  pass_at_two_venues: 'Même pass présenté dans deux lieux',
  outside_opening_hours: 'Validation hors des horaires d’ouverture',
  burst: 'Rafale de validations',
  repeated_failed_lookups: 'Codes erronés répétés',
};

export const FRAUD_STATUS_LABELS: Readonly<Record<FraudFlagStatus, string>> = {
  open: 'À examiner',
  confirmed: 'Fraude confirmée',
  dismissed: 'Écartée',
};

export const listFraudFlags = (
  query: { status?: FraudFlagStatus; kind?: FraudFlagKind },
  signal?: AbortSignal,
) => api.get<Page<FraudFlag>>('/fraud-flags', { ...query, limit: 200 }, signal);
export const resolveFraudFlag = (id: string, outcome: 'confirmed' | 'dismissed', note?: string) =>
  api.post<FraudFlag>(`/fraud-flags/${encodeURIComponent(id)}/resolve`, { outcome, note: note || undefined });
