export {
  type BicReason,
  type BicValidation,
  type IbanReason,
  type IbanValidation,
  validateBic,
  validateIban,
} from './bank-identifiers';
export { normalizeFrenchPhone, type PhoneReason, type PhoneValidation } from './french-phone';
export { type RnaReason, type RnaValidation, validateRna } from './rna';
export {
  LA_POSTE_SIREN,
  passesLuhn,
  type SirenReason,
  type SirenValidation,
  type SiretReason,
  type SiretValidation,
  validateSiren,
  validateSiret,
} from './siret';
export type { Invalid, Valid, ValidationResult } from './validation-result';
