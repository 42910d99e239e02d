import { electronicFormatIBAN } from 'ibantools';
// The server's own checks (pure functions over ibantools), so the form flags exactly what the API refuses.
import { validateBic, validateIban } from '../../../registry/src/identifiers/bank-identifiers';
import type { FieldIssue } from '../api/problem';

// Live checks of a bank account as typed, with the codes of the server's validateBankAccount
// (services/registry/src/bank-details/bank-change-request.ts): both go through fieldErrorsOf for their French
// wording. The server still decides.

/** A bank account as typed in a form. */
export interface BankAccountDraft {
  iban: string;
  bic: string;
  accountHolderName: string;
}

// SEPA limits the creditor name to 70 characters (pain.001 Nm); the server refuses longer names.
export const HOLDER_NAME_MAX = 70;

/** The problem code of an IBAN as typed (`iban_…`), or undefined when a SEPA transfer can reach it. */
export function ibanIssue(input: string): string | undefined {
  const iban = validateIban(input);
  if (!iban.ok) return `iban_${iban.reason}`;
  return iban.sepa ? undefined : 'iban_not_sepa';
}

/** The problem code of a BIC as typed (`bic_…`), or undefined when valid. */
export function bicIssue(input: string): string | undefined {
  const bic = validateBic(input);
  return bic.ok ? undefined : `bic_${bic.reason}`;
}

/** Field issues of a draft, with the paths and codes the API uses. */
export function bankAccountIssues(draft: BankAccountDraft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const iban = ibanIssue(draft.iban);
  if (iban) issues.push({ path: 'iban', code: iban, message: '' });
  const bic = bicIssue(draft.bic);
  if (bic) issues.push({ path: 'bic', code: bic, message: '' });
  const holder = draft.accountHolderName.trim();
  if (holder.length === 0 || holder.length > HOLDER_NAME_MAX) {
    issues.push({ path: 'accountHolderName', code: 'account_holder_name_length', message: '' });
  }
  return issues;
}

/** The draft as the API takes it: IBAN without separators, BIC in capitals, the holder's name trimmed. */
export function normaliseBankAccount(draft: BankAccountDraft): BankAccountDraft {
  return {
    iban: electronicFormatIBAN(draft.iban) ?? draft.iban.replace(/\s/g, ''),
    bic: draft.bic.replace(/\s/g, '').toUpperCase(),
    accountHolderName: draft.accountHolderName.trim(),
  };
}
