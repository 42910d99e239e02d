import { unknownTerritoryCodes } from '@pass/territory';
import type { BatchTerritory } from '@pass/vouchers';
import { SERVICE_CATEGORY_SLUGS } from './service-categories';

/** Passes per order, inclusive (issue #5). */
export const MAX_VOUCHERS_PER_BATCH = 2_000_000;

/** A batch order as the funder fills it in (already shaped by the zod schema). */
export interface BatchRequest {
  bookletSize: 5 | 10;
  bookletCount: number;
  validFrom: string;
  validUntil: string;
  toleranceDays: number;
  territory: BatchTerritory;
  serviceCategories: string[];
  wording: string;
}

/** Why an order is refused before anything is written. */
export type BatchRequestRefusal =
  | { reason: 'voucher_count_out_of_range'; voucherCount: number }
  | { reason: 'invalid_validity_period'; validFrom: string; validUntil: string }
  | { reason: 'validity_already_over'; validUntil: string }
  | { reason: 'unknown_territory_codes'; departements: string[]; communes: string[] }
  | { reason: 'unknown_service_categories'; categories: string[] };

export type BatchRequestCheck =
  | { ok: true; voucherCount: number }
  | { ok: false; refusal: BatchRequestRefusal };

/**
 * Business checks of an order, in the order a person would fix them. `today` is the business date
 * (Europe/Paris) so that an order whose validity already ended is refused.
 */
export function checkBatchRequest(request: BatchRequest, today: string): BatchRequestCheck {
  const voucherCount = request.bookletSize * request.bookletCount;
  if (voucherCount < 1 || voucherCount > MAX_VOUCHERS_PER_BATCH) {
    return { ok: false, refusal: { reason: 'voucher_count_out_of_range', voucherCount } };
  }
  if (request.validUntil < request.validFrom) {
    return {
      ok: false,
      refusal: {
        reason: 'invalid_validity_period',
        validFrom: request.validFrom,
        validUntil: request.validUntil,
      },
    };
  }
  if (request.validUntil < today) {
    return { ok: false, refusal: { reason: 'validity_already_over', validUntil: request.validUntil } };
  }
  const unknown = unknownTerritoryCodes(request.territory);
  if (unknown.departements.length > 0 || unknown.communes.length > 0) {
    return { ok: false, refusal: { reason: 'unknown_territory_codes', ...unknown } };
  }
  const categories = request.serviceCategories.filter((slug) => !SERVICE_CATEGORY_SLUGS.includes(slug));
  if (categories.length > 0)
    return { ok: false, refusal: { reason: 'unknown_service_categories', categories } };
  return { ok: true, voucherCount };
}

/** Territory codes as stored: trimmed, upper-case (2A, 2B), without duplicates, sorted. */
export function normaliseTerritory(territory: BatchTerritory): BatchTerritory {
  const clean = (codes: string[]) => [...new Set(codes.map((code) => code.trim().toUpperCase()))].sort();
  return { departements: clean(territory.departements), communes: clean(territory.communes) };
}
