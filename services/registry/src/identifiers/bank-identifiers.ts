import {
  electronicFormatIBAN,
  extractBIC,
  isSEPACountry,
  ValidationErrorsBIC,
  ValidationErrorsIBAN,
  validateBIC,
  validateIBAN,
} from 'ibantools';
import type { ValidationResult } from './validation-result';

export type IbanReason =
  | 'empty'
  | 'invalid_characters'
  | 'unknown_country'
  | 'wrong_length'
  | 'wrong_format'
  | 'bad_checksum'
  | 'bad_national_checksum';
export type IbanValidation = ValidationResult<IbanReason, { countryCode: string; sepa: boolean }>;

export type BicReason = 'empty' | 'unknown_country' | 'wrong_format';
export type BicValidation = ValidationResult<BicReason, { countryCode: string; sepa: boolean }>;

// ibantools reports every failed check at once; the first one in this order is the most useful to show.
const IBAN_REASONS: ReadonlyArray<[ValidationErrorsIBAN, IbanReason]> = [
  [ValidationErrorsIBAN.NoIBANProvided, 'empty'],
  [ValidationErrorsIBAN.NoIBANCountry, 'unknown_country'],
  [ValidationErrorsIBAN.WrongBBANLength, 'wrong_length'],
  [ValidationErrorsIBAN.WrongBBANFormat, 'wrong_format'],
  [ValidationErrorsIBAN.ChecksumNotNumber, 'wrong_format'],
  [ValidationErrorsIBAN.WrongIBANChecksum, 'bad_checksum'],
  // The national key inside the BBAN, e.g. the French "clé RIB".
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum, 'bad_national_checksum'],
  [ValidationErrorsIBAN.QRIBANNotAllowed, 'wrong_format'],
];

/**
 * Validates an IBAN with ibantools (country format, ISO 7064 checksum, national key where ibantools knows it).
 * The value is the electronic format (upper case, no spaces); `sepa` tells whether a SEPA transfer can reach it.
 */
export function validateIban(input: string): IbanValidation {
  // electronicFormatIBAN drops every non-alphanumeric character; only the separators people use may go.
  if (/[^A-Za-z0-9\s\u00a0\u202f-]/.test(input)) return { ok: false, reason: 'invalid_characters' };
  const iban = electronicFormatIBAN(input) ?? '';
  if (iban === '') return { ok: false, reason: 'empty' };
  const result = validateIBAN(iban);
  if (!result.valid) {
    const reason = IBAN_REASONS.find(([code]) => result.errorCodes.includes(code))?.[1] ?? 'wrong_format';
    return { ok: false, reason };
  }
  const countryCode = iban.slice(0, 2);
  return { ok: true, value: iban, countryCode, sepa: isSEPACountry(countryCode) };
}

/** Validates a BIC (8 or 11 characters, ISO 9362) with ibantools; the value is upper case without spaces. */
export function validateBic(input: string): BicValidation {
  const bic = input.replace(/\s/g, '').toUpperCase();
  if (bic === '') return { ok: false, reason: 'empty' };
  // Length first: ibantools calls "BNPA" an unknown country, which would send people looking in the wrong place.
  if (!/^[A-Z0-9]{8}([A-Z0-9]{3})?$/.test(bic)) return { ok: false, reason: 'wrong_format' };
  const result = validateBIC(bic);
  if (!result.valid) {
    return {
      ok: false,
      reason: result.errorCodes.includes(ValidationErrorsBIC.NoBICCountry)
        ? 'unknown_country'
        : 'wrong_format',
    };
  }
  const countryCode = extractBIC(bic).countryCode ?? bic.slice(4, 6);
  return { ok: true, value: bic, countryCode, sepa: isSEPACountry(countryCode) };
}
