import { passesLuhn } from './siret';
import { stripGrouping, type ValidationResult } from './validation-result';

export type RnaReason = 'empty' | 'invalid_characters' | 'looks_like_siren' | 'invalid_format';
export type RnaValidation = ValidationResult<RnaReason>;

/**
 * Validates an RNA number (Répertoire national des associations): `W` followed by 9 digits, case-insensitive,
 * spaces allowed. Older Waldec file numbers were requalified as RNA numbers in 2010, so there is no second,
 * numeric format to accept; a bare 9-digit number is most often a SIREN typed in the wrong field.
 */
export function validateRna(input: string): RnaValidation {
  const compact = stripGrouping(input).toUpperCase();
  if (compact === '') return { ok: false, reason: 'empty' };
  if (!/^[A-Z0-9]+$/.test(compact)) return { ok: false, reason: 'invalid_characters' };
  if (/^W\d{9}$/.test(compact)) return { ok: true, value: compact };
  if (/^\d{9}$/.test(compact) && passesLuhn(compact)) return { ok: false, reason: 'looks_like_siren' };
  return { ok: false, reason: 'invalid_format' };
}
