import { validateRna } from '../identifiers';
import type { FieldProblems } from '../shared/field-problems';
import type { PostalAddress } from '../shared/postal-address';

export const SETTLEMENT_CADENCES = ['monthly', 'weekly', 'daily'] as const;
export type SettlementCadence = (typeof SETTLEMENT_CADENCES)[number];

export const BANK_DETAILS_STATUSES = ['missing', 'approved', 'pending_change'] as const;
export type BankDetailsStatus = (typeof BANK_DETAILS_STATUSES)[number];

export interface BankAccount {
  /** Electronic format (no spaces). */
  iban: string;
  bic: string;
  /** Exactly as the bank has it: Verification of Payee compares it. */
  accountHolderName: string;
}

/** The payee: the legal entity behind venues, reimbursed for the passes they redeem. */
export interface Association {
  id: string;
  /** Display name (the organisation's). */
  name: string;
  legalName: string;
  siret: string | null;
  rna: string | null;
  /** Structured: SEPA files need street, number, postcode, town and country apart. */
  address: PostalAddress;
  /** The approved account; a pending change is a separate request. */
  bankAccount: BankAccount | null;
  bankDetailsStatus: BankDetailsStatus;
  settlementCadence: SettlementCadence;
  downstreamFeeRate: string;
  flaggedAt: Date | null;
  flagReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Why payouts to the association are held, or null when they may go out. */
export function payoutHoldReason(
  association: Pick<Association, 'flaggedAt' | 'bankDetailsStatus' | 'bankAccount'>,
): 'flagged' | 'bank_change_pending' | 'bank_details_missing' | null {
  if (association.flaggedAt) return 'flagged';
  if (association.bankDetailsStatus === 'pending_change') return 'bank_change_pending';
  if (association.bankDetailsStatus !== 'approved' || !association.bankAccount) return 'bank_details_missing';
  return null;
}

/** Validates and normalises an RNA number, recording a field problem when it is not valid. */
export function normalizeRna(input: string, path: string, problems: FieldProblems): string | null {
  const result = validateRna(input);
  if (result.ok) return result.value;
  problems.add(
    path,
    `rna_${result.reason}`,
    `Not a valid RNA number (W followed by 9 digits): ${result.reason}.`,
  );
  return null;
}

export type AssociationField =
  | 'name'
  | 'legalName'
  | 'siret'
  | 'rna'
  | 'address'
  | 'settlementCadence'
  | 'downstreamFeeRate';

// Identity, cadence and fees are contractual (the operator's); the association keeps its address current.
const SELF_SERVICE_FIELDS: readonly AssociationField[] = ['address'];

/** The fields a member of the association may not change itself. */
export function operatorOnlyFields(fields: readonly AssociationField[]): AssociationField[] {
  return fields.filter((field) => !SELF_SERVICE_FIELDS.includes(field));
}
