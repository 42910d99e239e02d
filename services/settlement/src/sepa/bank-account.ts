import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import { SepaError } from './sepa-error';

/** Normalises an IBAN to its electronic form (no spaces, upper case) and checks it is valid and in SEPA. */
export function normaliseSepaIban(iban: string, field: string): string {
  const electronic = electronicFormatIBAN(iban) ?? '';
  if (!isValidIBAN(electronic)) {
    throw new SepaError('invalid_iban', `${field} is not a valid IBAN`, { field });
  }
  if (!isSEPACountry(electronic.slice(0, 2))) {
    throw new SepaError('iban_not_sepa', `${field} is not in a SEPA country`, {
      field,
      country: electronic.slice(0, 2),
    });
  }
  return electronic;
}

/** Normalises a BIC (upper case, no spaces) and checks it; 8 and 11 characters are both accepted. */
export function normaliseBic(bic: string, field: string): string {
  const compact = bic.replace(/\s+/g, '').toUpperCase();
  if (!isValidBIC(compact)) throw new SepaError('invalid_bic', `${field} is not a valid BIC`, { field });
  return compact;
}
