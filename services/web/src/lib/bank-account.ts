import {
  electronicFormatIBAN,
  isSEPACountry,
  ValidationErrorsBIC,
  ValidationErrorsIBAN,
  validateBIC,
  validateIBAN,
} from 'ibantools';
import type { FieldIssue } from '../api/problem';

// Live checks of a bank account as typed, with the same library and the same codes as the server
// (services/registry/src/identifiers/bank-identifiers.ts and bank-change-request.ts): what the form flags is
// what the API would refuse, and both go through fieldErrorsOf for their French wording. The server still
// decides.

/** A bank account as typed in a form. */
export interface BankAccountDraft {
  iban: string;
  bic: string;
  accountHolderName: string;
}

// SEPA limits the creditor name to 70 characters (pain.001 Nm); the server refuses longer names.
export const HOLDER_NAME_MAX = 70;

// ibantools reports every failed check at once; the first one in this order is the most useful to show.
const IBAN_REASONS: ReadonlyArray<[ValidationErrorsIBAN, string]> = [
  [ValidationErrorsIBAN.NoIBANProvided, 'empty'],
  [ValidationErrorsIBAN.NoIBANCountry, 'unknown_country'],
  [ValidationErrorsIBAN.WrongBBANLength, 'wrong_length'],
  [ValidationErrorsIBAN.WrongBBANFormat, 'wrong_format'],
  [ValidationErrorsIBAN.ChecksumNotNumber, 'wrong_format'],
  [ValidationErrorsIBAN.WrongIBANChecksum, 'bad_checksum'],
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum, 'bad_national_checksum'],
  [ValidationErrorsIBAN.QRIBANNotAllowed, 'wrong_format'],
];

/** The problem code of an IBAN as typed (`iban_…`), or undefined when a SEPA transfer can reach it. */
export function ibanIssue(input: string): string | undefined {
  if (/[^A-Za-z0-9\s\u00a0\u202f-]/.test(input)) return 'iban_invalid_characters';
  const iban = electronicFormatIBAN(input) ?? '';
  if (iban === '') return 'iban_empty';
  const result = validateIBAN(iban);
  if (!result.valid) {
    const reason = IBAN_REASONS.find(([code]) => result.errorCodes.includes(code))?.[1] ?? 'wrong_format';
    return `iban_${reason}`;
  }
  return isSEPACountry(iban.slice(0, 2)) ? undefined : 'iban_not_sepa';
}

/** The problem code of a BIC as typed (`bic_…`), or undefined when valid. */
export function bicIssue(input: string): string | undefined {
  const bic = input.replace(/\s/g, '').toUpperCase();
  if (bic === '') return 'bic_empty';
  // Length first: ibantools calls "BNPA" an unknown country, which would send people looking in the wrong place.
  if (!/^[A-Z0-9]{8}([A-Z0-9]{3})?$/.test(bic)) return 'bic_wrong_format';
  const result = validateBIC(bic);
  if (result.valid) return undefined;
  return result.errorCodes.includes(ValidationErrorsBIC.NoBICCountry)
    ? 'bic_unknown_country'
    : 'bic_wrong_format';
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
