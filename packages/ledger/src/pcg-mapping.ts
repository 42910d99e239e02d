import type { AccountOwnerType, AccountPurpose } from './account-code';

/** Where one of our accounts goes in the French plan comptable général (PCG), for the FEC. */
export interface PcgAccount {
  /** CompteNum: six digits, the first three being the PCG account. */
  number: string;
  /** CompteLib. */
  label: string;
}

/**
 * Our accounts in the operator's books, following the mandate model: the operator holds the funders'
 * money for them and pays associations on their behalf, so voucher money stays in third-party accounts
 * (class 4) and only fees are revenue (class 7). See packages/ledger/FEC.md for the reasoning; the
 * operator's chartered accountant should confirm it before the first filing.
 */
export const PCG_ACCOUNTS: Readonly<Record<AccountPurpose, PcgAccount>> = Object.freeze({
  bank: { number: '512000', label: 'Banque' },
  fees: { number: '706000', label: 'Prestations de services' },
  vat_collected: { number: '445710', label: 'TVA collectée' },
  prepaid: { number: '419100', label: 'Clients - Avances et acomptes reçus sur commandes' },
  vouchers_outstanding: {
    number: '467100',
    label: 'Pass numérique en circulation - fonds des commanditaires',
  },
  credit_notes: { number: '419700', label: 'Clients - Autres avoirs' },
  payable: { number: '467200', label: 'Associations - remboursements de pass à payer' },
});

/** Prefix of the auxiliary (sub-ledger) account number per owner (CompAuxNum). */
export const AUXILIARY_PREFIX: Readonly<Record<Exclude<AccountOwnerType, 'operator'>, string>> =
  Object.freeze({
    funder: 'F',
    association: 'A',
  });

/** The default CompAuxNum of a funder or association: prefix and the uuid's 32 hex digits in capitals. */
export function auxiliaryNumber(ownerType: 'funder' | 'association', ownerId: string): string {
  return `${AUXILIARY_PREFIX[ownerType]}${ownerId.replaceAll('-', '').toUpperCase()}`;
}
