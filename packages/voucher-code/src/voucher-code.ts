import { hasValidCheckSymbol } from './check-symbol';
import { crockfordValueAt } from './crockford-base32';

// Code parsing and display. Pure code, no Node import, so the browser scanner can bundle it for live typing
// feedback. Generation (which needs the CSPRNG) lives in generate-voucher-code.ts.

/** Random symbols in a code: 16 symbols x 5 bits = 80 bits from the CSPRNG (DESIGN.md section 5). */
export const VOUCHER_CODE_DATA_LENGTH = 16;
/** Random bits carried by a code. */
export const VOUCHER_CODE_ENTROPY_BITS = VOUCHER_CODE_DATA_LENGTH * 5;
/** Canonical length: the data symbols followed by one check symbol. */
export const VOUCHER_CODE_LENGTH = VOUCHER_CODE_DATA_LENGTH + 1;

const DISPLAY_GROUP_SIZE = 4;
// Generous for a typed code with separators; longer input is refused before any regular expression runs.
const MAX_INPUT_LENGTH = 100;

export type VoucherCodeRefusal = 'malformed' | 'typo';

export type VoucherCodeCheck = { ok: true; code: string } | { ok: false; reason: VoucherCodeRefusal };

export type PartialVoucherCodeCheck = {
  /** Enough symbols have been typed to form a whole code (more than enough counts as complete). */
  complete: boolean;
  /** null while the input is a valid beginning of a code; false as soon as it cannot become one. */
  valid: boolean | null;
  /** Why `valid` is false: a character outside the alphabet or too many of them, or a wrong check symbol. */
  reason?: VoucherCodeRefusal;
};

// Only ASCII letters are upper-cased: String#toUpperCase would turn the Turkish dotless 'ı' into 'I' or
// 'ß' into 'SS', letting exotic input pass for a code. Whitespace of any kind (including the no-break
// spaces PDF viewers copy) and hyphen-like dashes are the separators people type or paste.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const LOWER_ASCII = /[a-z]/g;
const LOOK_ALIKES: Readonly<Record<string, string>> = { I: '1', L: '1', O: '0' };

/** Uppercases ASCII letters, strips spaces and hyphens, maps I and L to 1 and O to 0 (Crockford decoding). */
export function normalizeVoucherCode(input: string): string {
  return input
    .replace(SEPARATORS, '')
    .replace(LOWER_ASCII, (letter) => letter.toUpperCase())
    .replace(/[ILO]/g, (letter) => LOOK_ALIKES[letter]!);
}

function isCrockfordText(text: string): boolean {
  for (let position = 0; position < text.length; position++)
    if (crockfordValueAt(text, position) < 0) return false;
  return true;
}

/** Normalises typed input and checks its length, alphabet and check symbol; returns the canonical code. */
export function checkVoucherCode(input: string): VoucherCodeCheck {
  if (input.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'malformed' };
  const code = normalizeVoucherCode(input);
  if (code.length !== VOUCHER_CODE_LENGTH || !isCrockfordText(code))
    return { ok: false, reason: 'malformed' };
  if (!hasValidCheckSymbol(code)) return { ok: false, reason: 'typo' };
  return { ok: true, code };
}

/** True when `code` is already canonical: 17 Crockford symbols, upper case, no separator, valid check. */
export function isCanonicalVoucherCode(code: string): boolean {
  return code.length === VOUCHER_CODE_LENGTH && isCrockfordText(code) && hasValidCheckSymbol(code);
}

/** Canonical code from any accepted spelling, or a RangeError: for callers that already checked the input. */
export function toCanonicalVoucherCode(input: string): string {
  if (isCanonicalVoucherCode(input)) return input;
  const result = checkVoucherCode(input);
  if (!result.ok) throw new RangeError(`not a valid voucher code (${result.reason})`);
  return result.code;
}

/**
 * Display form: four groups of four, then the check symbol alone, e.g. 7K3M-QX9P-2D4F-HR8T-V.
 * The check symbol stands apart like the "clé" of a French RIB or social-security number, so people
 * recognise it as a control key rather than a fifth, shorter group they might skip.
 */
export function formatVoucherCode(code: string): string {
  const canonical = toCanonicalVoucherCode(code);
  const groups: string[] = [];
  for (let i = 0; i < VOUCHER_CODE_DATA_LENGTH; i += DISPLAY_GROUP_SIZE) {
    groups.push(canonical.slice(i, i + DISPLAY_GROUP_SIZE));
  }
  groups.push(canonical.slice(VOUCHER_CODE_DATA_LENGTH));
  return groups.join('-');
}

/** Live feedback while someone types a code: is it complete yet, and can it still be (or is it) valid? */
export function checkPartialCode(input: string): PartialVoucherCodeCheck {
  if (input.length > MAX_INPUT_LENGTH) return { complete: true, valid: false, reason: 'malformed' };
  const typed = normalizeVoucherCode(input);
  if (!isCrockfordText(typed)) {
    return { complete: typed.length >= VOUCHER_CODE_LENGTH, valid: false, reason: 'malformed' };
  }
  if (typed.length < VOUCHER_CODE_LENGTH) return { complete: false, valid: null };
  if (typed.length > VOUCHER_CODE_LENGTH) return { complete: true, valid: false, reason: 'malformed' };
  return hasValidCheckSymbol(typed)
    ? { complete: true, valid: true }
    : { complete: true, valid: false, reason: 'typo' };
}
