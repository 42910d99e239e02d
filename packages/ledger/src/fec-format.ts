import { Money } from '@pass/money';

/** The 18 columns of the FEC (article A47 A-1 of the Livre des procédures fiscales), in order. */
export const FEC_COLUMNS = Object.freeze([
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const);

/** The two separators the FEC allows. */
export type FecSeparator = '|' | '\t';

/** A journal of the FEC. */
export interface FecJournal {
  code: string;
  label: string;
}

const BANK: FecJournal = { code: 'BQ', label: 'Banque' };
const VOUCHERS: FecJournal = { code: 'PN', label: 'Pass numérique' };
const SALES: FecJournal = { code: 'VT', label: 'Ventes' };
const MISC: FecJournal = { code: 'OD', label: 'Opérations diverses' };

const JOURNALS: Readonly<Record<string, FecJournal>> = {
  funding_received: BANK,
  payout_sent: BANK,
  payout_rejected: BANK,
  credit_note_refunded: BANK,
  batch_activated: VOUCHERS,
  redemption: VOUCHERS,
  redemption_undone: VOUCHERS,
  expiry: VOUCHERS,
  voucher_cancelled: VOUCHERS,
  credit_note_used: VOUCHERS,
  fee_charged: SALES,
  manual_adjustment: MISC,
};

/** The journal of an entry kind; a reversal goes to the journal of the entry it reverses. */
export function journalFor(kind: string, reversedKind: string | null = null): FecJournal {
  if (kind === 'reversal' && reversedKind !== null && reversedKind !== 'reversal')
    return journalFor(reversedKind);
  return JOURNALS[kind] ?? MISC;
}

const LABELS: Readonly<Record<string, string>> = {
  funding_received: 'Financement reçu',
  batch_activated: 'Activation de pass',
  redemption: 'Utilisation de pass',
  redemption_undone: "Annulation d'utilisation de pass",
  payout_sent: 'Virement de remboursement',
  payout_rejected: 'Virement rejeté',
  fee_charged: 'Frais de service',
  expiry: 'Expiration de pass',
  credit_note_refunded: "Remboursement d'avoir",
  credit_note_used: "Imputation d'avoir",
  voucher_cancelled: 'Annulation de pass',
  manual_adjustment: 'Régularisation',
  reversal: 'Contre-passation',
};

/** EcritureLib when an entry has no description: a French label of its kind. */
export function entryLabel(kind: string): string {
  return LABELS[kind] ?? kind.replaceAll('_', ' ');
}

/** Cents as the FEC wants them: decimal comma, no thousands separator ("1234,56", "0,00"). */
export function fecAmount(cents: bigint): string {
  return Money.fromCents(cents).toFrenchDecimal();
}

/** YYYY-MM-DD to AAAAMMJJ. */
export function fecDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** A field with the separator, tabs and line breaks replaced by spaces, so a row always has 18 fields. */
export function fecField(value: string | null | undefined): string {
  return (value ?? '').replace(/ *[|\t\r\n][|\t\r\n ]*/g, ' ').trim();
}

/** One FEC row, without its line terminator. */
export function fecRow(fields: readonly (string | null | undefined)[], separator: FecSeparator): string {
  return fields.map(fecField).join(separator);
}

/**
 * Whether a SIREN is valid: nine digits passing the Luhn check, except La Poste (356000000), which the
 * INSEE numbered outside that rule.
 */
export function isValidSiren(siren: string): boolean {
  if (!/^\d{9}$/.test(siren)) return false;
  if (siren === '356000000') return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(siren[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The FEC file name without extension: `<SIREN>FEC<AAAAMMJJ>` with the closing date of the fiscal year. */
export function fecBaseName(siren: string, fiscalYearEnd: string): string {
  return `${siren}FEC${fecDate(fiscalYearEnd)}`;
}
