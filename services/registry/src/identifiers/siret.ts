import { stripGrouping, type ValidationResult } from './validation-result';

export type SirenReason = 'empty' | 'invalid_characters' | 'wrong_length' | 'all_zeros' | 'bad_checksum';
export type SiretReason = SirenReason | 'bad_siren_checksum';

export type SirenValidation = ValidationResult<SirenReason>;
export type SiretValidation = ValidationResult<SiretReason, { siren: string }>;

/** La Poste's SIREN: INSEE numbers its establishments outside the Luhn scheme. */
export const LA_POSTE_SIREN = '356000000';
// La Poste has more establishments than a Luhn check digit over a 5-digit NIC can number, so INSEE gives
// them SIRETs whose digits add up to a multiple of 5 instead. Its head office predates that scheme and
// carries an ordinary Luhn key while its digit sum (26) is not a multiple of 5.
const LA_POSTE_HEAD_OFFICE_SIRET = '35600000000048';

/** Luhn (mod 10) check over a string of decimal digits, as INSEE uses for SIREN and SIRET. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (const digit of digits) sum += Number(digit);
  return sum;
}

function checkShape(input: string, length: number): { digits: string } | { reason: SirenReason } {
  const digits = stripGrouping(input);
  if (digits === '') return { reason: 'empty' };
  if (!/^\d+$/.test(digits)) return { reason: 'invalid_characters' };
  if (digits.length !== length) return { reason: 'wrong_length' };
  // All zeros passes Luhn (sum 0) but is the placeholder open-data producers write when they do not know
  // the number: it must never be taken for a real identifier.
  if (/^0+$/.test(digits)) return { reason: 'all_zeros' };
  return { digits };
}

/** Validates a SIREN (9 digits, Luhn key); accepts digits grouped with spaces, dots or dashes. */
export function validateSiren(input: string): SirenValidation {
  const shape = checkShape(input, 9);
  if ('reason' in shape) return { ok: false, reason: shape.reason };
  if (!passesLuhn(shape.digits)) return { ok: false, reason: 'bad_checksum' };
  return { ok: true, value: shape.digits };
}

/**
 * Validates a SIRET (14 digits: SIREN + NIC). The whole number and its SIREN must pass Luhn, except La Poste
 * establishments, whose digit sum must be a multiple of 5 (its head office keeps a plain Luhn key).
 */
export function validateSiret(input: string): SiretValidation {
  const shape = checkShape(input, 14);
  if ('reason' in shape) return { ok: false, reason: shape.reason };
  const { digits } = shape;
  const siren = digits.slice(0, 9);
  if (siren === LA_POSTE_SIREN) {
    const valid = digits === LA_POSTE_HEAD_OFFICE_SIRET || digitSum(digits) % 5 === 0;
    return valid ? { ok: true, value: digits, siren } : { ok: false, reason: 'bad_checksum' };
  }
  if (!passesLuhn(siren)) return { ok: false, reason: 'bad_siren_checksum' };
  if (!passesLuhn(digits)) return { ok: false, reason: 'bad_checksum' };
  return { ok: true, value: digits, siren };
}
