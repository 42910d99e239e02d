import type { Db } from '@pass/db';
import type { SepaParty } from '../sepa';
import { normaliseBic, normaliseSepaIban, SepaError } from '../sepa';
import { sepaTextField } from '../sepa/sepa-text';
import { rowsOf } from '../shared/db-values';

/** Why a payout is not sent: the association must fix or confirm something first. */
export type HoldReason = 'flagged' | 'bank_change_pending' | 'bank_details_missing' | 'invalid_account';

/** French labels of the hold reasons, for treasurers and the back office. */
export const HOLD_REASON_LABELS: Readonly<Record<HoldReason, string>> = {
  flagged: 'Association signalée après un virement rejeté',
  bank_change_pending: 'Changement de coordonnées bancaires en attente de validation',
  bank_details_missing: 'Coordonnées bancaires manquantes ou non validées',
  invalid_account: 'Coordonnées bancaires invalides',
};

/** What registry.association_payout_accounts says about an association (the registry's public contract). */
export interface PayoutAccountRow {
  association_id: string;
  legal_name: string;
  account_holder_name: string | null;
  iban: string | null;
  bic: string | null;
  street_name: string;
  building_number: string | null;
  postcode: string;
  town: string;
  country: string;
  payouts_held: boolean;
  hold_reason: 'flagged' | 'bank_change_pending' | 'bank_details_missing' | null;
}

/** The account to pay, or the reason the payout waits. */
export type PayoutAccount =
  | { ok: true; creditor: SepaParty }
  | { ok: false; reason: HoldReason; detail?: string };

/**
 * Decides whether an association can be paid now: the registry's hold (flag after a rejected transfer,
 * four-eyes bank change pending, no approved details) first, then the SEPA checks of the account itself
 * (IBAN checksum and SEPA country, BIC, name and structured address that fit the pain.001 limits).
 */
export function payoutAccountOf(row: PayoutAccountRow | undefined): PayoutAccount {
  if (!row) return { ok: false, reason: 'bank_details_missing' };
  if (row.payouts_held || row.hold_reason)
    return { ok: false, reason: row.hold_reason ?? 'bank_details_missing' };
  if (!row.iban) return { ok: false, reason: 'bank_details_missing' };
  try {
    const creditor: SepaParty = {
      name: sepaTextField(row.account_holder_name ?? row.legal_name, 'creditor.name', 70),
      iban: normaliseSepaIban(row.iban, 'creditor.iban'),
      address: {
        streetName: sepaTextField(row.street_name, 'creditor.address.streetName', 70),
        postCode: sepaTextField(row.postcode, 'creditor.address.postCode', 16),
        townName: sepaTextField(row.town, 'creditor.address.townName', 35),
        country: row.country.trim().toUpperCase(),
      },
    };
    if (row.bic?.trim()) creditor.bic = normaliseBic(row.bic, 'creditor.bic');
    if (row.building_number?.trim()) {
      creditor.address.buildingNumber = sepaTextField(
        row.building_number,
        'creditor.address.buildingNumber',
        16,
      );
    }
    if (!/^[A-Z]{2}$/.test(creditor.address.country)) {
      throw new SepaError('invalid_country', 'creditor.address.country must be ISO 3166 alpha-2');
    }
    return { ok: true, creditor };
  } catch (err) {
    if (err instanceof SepaError) return { ok: false, reason: 'invalid_account', detail: err.code };
    throw err;
  }
}

/** Reads the payout accounts of associations from the registry's view. */
export async function loadPayoutAccounts(
  db: Db,
  associationIds: readonly string[],
): Promise<Map<string, PayoutAccountRow>> {
  if (associationIds.length === 0) return new Map();
  const rows = rowsOf<PayoutAccountRow>(
    await db.raw(
      `select association_id, legal_name, account_holder_name, iban, bic, street_name, building_number, postcode,
              town, country, payouts_held, hold_reason
         from registry.association_payout_accounts where association_id = any(?::uuid[])`,
      [[...new Set(associationIds)]],
    ),
  );
  return new Map(rows.map((row) => [row.association_id, row]));
}
