import { validateBic, validateIban } from '../identifiers';
import type { FieldProblems } from '../shared/field-problems';
import type { BankAccount } from '../associations/association';

export const BANK_CHANGE_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type BankChangeStatus = (typeof BANK_CHANGE_STATUSES)[number];

/** A change of an association's bank details, waiting for a second operator (four eyes). */
export interface BankChangeRequest {
  id: string;
  associationId: string;
  account: BankAccount;
  status: BankChangeStatus;
  /** User who entered the change. */
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

export type BankChangeDecision = 'approve' | 'reject' | 'cancel';

export type BankChangeRefusal =
  | 'not_pending'
  | 'four_eyes_required'
  | 'approver_not_operator'
  | 'reason_required';

export interface Decider {
  userId: string;
  isOperator: boolean;
}

/**
 * Applies a decision to a pending request. Approval needs an operator who is not the person who entered the
 * change (four eyes: one person alone can never redirect payouts). A rejection needs a reason. Cancelling is for
 * the requester or an operator; the caller has already checked that the decider may see the request.
 */
export function decideBankChange(
  request: BankChangeRequest,
  decision: BankChangeDecision,
  decider: Decider,
  now: Date,
  reason?: string | null,
): { ok: true; request: BankChangeRequest } | { ok: false; reason: BankChangeRefusal } {
  if (request.status !== 'pending') return { ok: false, reason: 'not_pending' };
  const decided = { decidedBy: decider.userId, decidedAt: now, decisionReason: reason?.trim() || null };
  switch (decision) {
    case 'approve':
      if (!decider.isOperator) return { ok: false, reason: 'approver_not_operator' };
      if (decider.userId === request.requestedBy) return { ok: false, reason: 'four_eyes_required' };
      return { ok: true, request: { ...request, ...decided, status: 'approved' } };
    case 'reject':
      if (!decider.isOperator) return { ok: false, reason: 'approver_not_operator' };
      if (!decided.decisionReason) return { ok: false, reason: 'reason_required' };
      return { ok: true, request: { ...request, ...decided, status: 'rejected' } };
    case 'cancel':
      return { ok: true, request: { ...request, ...decided, status: 'cancelled' } };
    default: {
      const unreachable: never = decision;
      throw new Error(`Unknown decision ${unreachable}`);
    }
  }
}

// SEPA limits the creditor name to 70 characters (pain.001 Nm); Verification of Payee compares it as written.
const HOLDER_NAME_MAX = 70;

/**
 * Validates a bank account: IBAN (format, ISO 7064 check, clé RIB) reachable by a SEPA transfer, BIC, and the
 * holder's name kept exactly as typed apart from surrounding spaces. Records field problems; returns the
 * normalised account when everything is valid.
 */
export function validateBankAccount(
  input: { iban: string; bic: string; accountHolderName: string },
  path: string,
  problems: FieldProblems,
): BankAccount | undefined {
  let valid = true;
  const iban = validateIban(input.iban);
  if (!iban.ok) {
    problems.add(
      `${path}.iban`,
      `iban_${iban.reason}`,
      `Not a valid IBAN (${iban.reason.replaceAll('_', ' ')}).`,
    );
    valid = false;
  } else if (!iban.sepa) {
    problems.add(
      `${path}.iban`,
      'iban_not_sepa',
      'This IBAN is outside the SEPA area: we pay by SEPA credit transfer.',
    );
    valid = false;
  }
  const bic = validateBic(input.bic);
  if (!bic.ok) {
    problems.add(`${path}.bic`, `bic_${bic.reason}`, `Not a valid BIC (${bic.reason.replaceAll('_', ' ')}).`);
    valid = false;
  }
  const holder = input.accountHolderName.trim();
  if (holder.length === 0 || holder.length > HOLDER_NAME_MAX) {
    problems.add(
      `${path}.accountHolderName`,
      'account_holder_name_length',
      `The account holder's name must have 1 to ${HOLDER_NAME_MAX} characters.`,
    );
    valid = false;
  }
  if (!valid || !iban.ok || !bic.ok) return undefined;
  return { iban: iban.value, bic: bic.value, accountHolderName: holder };
}
