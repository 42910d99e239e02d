import type { HoldReason } from './payout-account';

/** held ⇄ created → exported → paid | rejected (paid → rejected too: a return can come after the booking). */
export type PayoutStatus = 'held' | 'created' | 'exported' | 'paid' | 'rejected';

export const PAYOUT_STATUSES: readonly PayoutStatus[] = ['held', 'created', 'exported', 'paid', 'rejected'];

/** French labels, as treasurers read them next to their bank statement. */
export const PAYOUT_STATUS_LABELS: Readonly<Record<PayoutStatus, string>> = {
  held: 'En attente (bloqué)',
  created: 'À virer',
  exported: 'Virement émis',
  paid: 'Payé',
  rejected: 'Rejeté par la banque',
};

/** A payout (contre-paiement) to an association for one statement. */
export interface Payout {
  id: string;
  statementId: string;
  associationId: string;
  amountCents: bigint;
  status: PayoutStatus;
  holdReason: HoldReason | null;
  replacesPayoutId: string | null;
  fileId: string | null;
  executionDate: string | null;
  remittance: string | null;
  sentEntryId: string | null;
  rejectedEntryId: string | null;
  createdAt: Date;
  exportedAt: Date | null;
  paidOn: string | null;
  rejectedAt: Date | null;
  rejectionReason: string | null;
  rejectionInfo: string | null;
  confirmedBy: string | null;
}

/** What the bank (camt.054) or a person says happened to a transfer. */
export type BankOutcome = 'paid' | 'rejected';

/** Why a bank outcome cannot be applied to a payout. */
export type ConfirmRefusal = 'not_exported' | 'already_rejected';

/**
 * Whether a bank outcome moves a payout: `apply` changes it, `duplicate` means the payout already is in that
 * state (a file imported twice, a person confirming what the bank said), a refusal means the line does not
 * fit the payout and is reported instead.
 */
export function confirmTransition(
  status: PayoutStatus,
  outcome: BankOutcome,
): { kind: 'apply' } | { kind: 'duplicate' } | { kind: 'refused'; reason: ConfirmRefusal } {
  switch (status) {
    case 'held':
    case 'created':
      return { kind: 'refused', reason: 'not_exported' };
    case 'exported':
      return { kind: 'apply' };
    case 'paid':
      // A SEPA return can arrive days after the debit was booked: paid -> rejected is a real transition.
      return outcome === 'paid' ? { kind: 'duplicate' } : { kind: 'apply' };
    case 'rejected':
      return outcome === 'rejected' ? { kind: 'duplicate' } : { kind: 'refused', reason: 'already_rejected' };
    default: {
      const unknown: never = status;
      throw new Error(`unknown payout status ${String(unknown)}`);
    }
  }
}

/** The remittance information of a transfer: the statement number first, banks often show only 35 characters. */
export function remittanceFor(statementNumber: string): string {
  return `RELEVE ${statementNumber} PASS NUMERIQUE`;
}
