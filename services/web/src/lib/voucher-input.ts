// The Node-free files of @pass/voucher-code (the package index pulls node:crypto, which a browser lacks).
import {
  checkPartialCode,
  normalizeVoucherCode,
  VOUCHER_CODE_DATA_LENGTH,
  VOUCHER_CODE_LENGTH,
} from '../../../../packages/voucher-code/src/voucher-code';
import { crockfordValueAt } from '../../../../packages/voucher-code/src/crockford-base32';

export { normalizeVoucherCode, VOUCHER_CODE_LENGTH };

/** Live feedback for a typed code, in French, with the tone of the message. */
export interface CodeFeedback {
  state: 'empty' | 'typing' | 'valid' | 'invalid';
  message: string;
  /** The typed symbols grouped as printed on the pass: 7K3M-QX9P-2D… */
  display: string;
  /** The canonical code once complete and valid. */
  code?: string;
}

/** True for a scanned QR payload (`PN1.<kid>.<code>.<signature>`) rather than a typed code. */
export function looksLikePayload(input: string): boolean {
  return /^PN\d{1,3}\./.test(input.trim());
}

/**
 * The voucher code inside a QR payload, for display only: the server verifies the signature (the browser
 * never decides that a pass is genuine).
 */
export function codeInPayload(payload: string): string | undefined {
  const parts = payload.trim().split('.');
  return parts.length === 4 && parts[2]?.length === VOUCHER_CODE_LENGTH ? parts[2] : undefined;
}

/** Groups canonical symbols as printed: four groups of four, then the check symbol alone. */
export function groupCode(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < Math.min(symbols.length, VOUCHER_CODE_DATA_LENGTH); i += 4)
    groups.push(symbols.slice(i, i + 4));
  if (symbols.length > VOUCHER_CODE_DATA_LENGTH) groups.push(symbols.slice(VOUCHER_CODE_DATA_LENGTH));
  return groups.join('-');
}

/** Feedback while typing: how many symbols so far, a forbidden character, a typo caught by the check symbol. */
export function codeFeedback(input: string): CodeFeedback {
  const typed = normalizeVoucherCode(input);
  if (typed.length === 0) {
    return {
      state: 'empty',
      display: '',
      message: `Saisissez les ${VOUCHER_CODE_LENGTH} caractères imprimés sous le QR code.`,
    };
  }
  const check = checkPartialCode(input);
  const display = groupCode(typed);
  if (check.valid === true) {
    return {
      state: 'valid',
      display,
      code: typed,
      message: 'Code complet : le caractère de contrôle est correct.',
    };
  }
  if (check.valid === false) {
    if (check.reason === 'typo') {
      return {
        state: 'invalid',
        display,
        message: 'Faute de frappe : le dernier caractère (contrôle) ne correspond pas. Relisez le code.',
      };
    }
    const bad = firstForbidden(typed);
    if (bad !== undefined) {
      return {
        state: 'invalid',
        display,
        message: `Le caractère « ${bad} » n’existe pas dans les codes (pas de U ni de ponctuation).`,
      };
    }
    return {
      state: 'invalid',
      display,
      message: `Trop de caractères : un code en compte ${VOUCHER_CODE_LENGTH}.`,
    };
  }
  return {
    state: 'typing',
    display,
    message: `${typed.length} caractère${typed.length > 1 ? 's' : ''} sur ${VOUCHER_CODE_LENGTH}.`,
  };
}

function firstForbidden(typed: string): string | undefined {
  for (let i = 0; i < typed.length; i++) if (crockfordValueAt(typed, i) < 0) return typed[i];
  return undefined;
}
