import { ValidationError } from '@pass/errors';

/** The five classic account kinds; the kind decides the sign of a balance (see `naturalBalance`). */
export type AccountKind = 'asset' | 'liability' | 'revenue' | 'expense' | 'equity';

/** Who an account belongs to: the clearing house itself, a funder or an association. */
export type AccountOwnerType = 'operator' | 'funder' | 'association';

/** What an account is for, one per row of the account table in DESIGN §4 (plus VAT collected on fees). */
export type AccountPurpose =
  | 'bank'
  | 'fees'
  | 'vat_collected'
  | 'prepaid'
  | 'vouchers_outstanding'
  | 'credit_notes'
  | 'payable';

/** A parsed account code such as `funder:<uuid>:prepaid`. */
export interface AccountRef {
  code: string;
  ownerType: AccountOwnerType;
  /** The funder's or association's uuid; null for operator accounts. */
  ownerId: string | null;
  purpose: AccountPurpose;
  kind: AccountKind;
}

interface AccountType {
  ownerType: AccountOwnerType;
  purpose: AccountPurpose;
  kind: AccountKind;
}

/** Every account the ledger knows, by owner and purpose. A code outside this list is refused. */
export const ACCOUNT_TYPES: readonly AccountType[] = Object.freeze([
  { ownerType: 'operator', purpose: 'bank', kind: 'asset' },
  { ownerType: 'operator', purpose: 'fees', kind: 'revenue' },
  { ownerType: 'operator', purpose: 'vat_collected', kind: 'liability' },
  { ownerType: 'funder', purpose: 'prepaid', kind: 'liability' },
  { ownerType: 'funder', purpose: 'vouchers_outstanding', kind: 'liability' },
  { ownerType: 'funder', purpose: 'credit_notes', kind: 'liability' },
  { ownerType: 'association', purpose: 'payable', kind: 'liability' },
]);

// Lower-case canonical form only, so one funder can never end up with two spellings of the same account.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function ownedCode(ownerType: 'funder' | 'association', id: string, purpose: AccountPurpose): string {
  const normalised = typeof id === 'string' ? id.toLowerCase() : id;
  if (typeof normalised !== 'string' || !UUID.test(normalised)) {
    throw new ValidationError(
      [{ path: 'account', code: 'invalid_owner_id', message: `Not a uuid: ${JSON.stringify(id)}` }],
      `Invalid ${ownerType} id for a ledger account.`,
    );
  }
  return `${ownerType}:${normalised}:${purpose}`;
}

/** Builders of account codes; funder and association ids are uuids (lower-cased here). */
export const accounts = Object.freeze({
  operatorBank: (): string => 'operator:bank',
  operatorFees: (): string => 'operator:fees',
  operatorVatCollected: (): string => 'operator:vat_collected',
  funderPrepaid: (funderId: string): string => ownedCode('funder', funderId, 'prepaid'),
  funderVouchersOutstanding: (funderId: string): string =>
    ownedCode('funder', funderId, 'vouchers_outstanding'),
  funderCreditNotes: (funderId: string): string => ownedCode('funder', funderId, 'credit_notes'),
  associationPayable: (associationId: string): string => ownedCode('association', associationId, 'payable'),
});

/** Parses an account code, or returns undefined when it is not one the ledger knows. */
export function tryParseAccountCode(code: string): AccountRef | undefined {
  if (typeof code !== 'string') return undefined;
  const parts = code.split(':');
  let ownerType: string | undefined;
  let ownerId: string | null = null;
  let purpose: string | undefined;
  if (parts.length === 2 && parts[0] === 'operator') {
    [ownerType, purpose] = parts;
  } else if (parts.length === 3 && UUID.test(parts[1] ?? '')) {
    [ownerType, ownerId, purpose] = parts as [string, string, string];
  } else {
    return undefined;
  }
  const type = ACCOUNT_TYPES.find((t) => t.ownerType === ownerType && t.purpose === purpose);
  if (!type) return undefined;
  return { code, ownerType: type.ownerType, ownerId, purpose: type.purpose, kind: type.kind };
}

/** Parses an account code; throws a ValidationError (`unknown_account`) for a code the ledger does not know. */
export function parseAccountCode(code: string): AccountRef {
  const ref = tryParseAccountCode(code);
  if (!ref) {
    throw new ValidationError(
      [
        {
          path: 'account',
          code: 'unknown_account',
          message: `Unknown ledger account ${JSON.stringify(code)}`,
        },
      ],
      'Unknown ledger account.',
    );
  }
  return ref;
}

/** The kind of an account code (asset, liability...). */
export function accountKind(code: string): AccountKind {
  return parseAccountCode(code).kind;
}

/** True for kinds whose balance grows with debits (assets and expenses). */
export function isDebitNormal(kind: AccountKind): boolean {
  return kind === 'asset' || kind === 'expense';
}

/**
 * The balance as people read it: debits minus credits for assets and expenses, credits minus debits for
 * liabilities, revenue and equity, so a funder's outstanding vouchers show as a positive amount.
 */
export function naturalBalance(kind: AccountKind, debitCents: bigint, creditCents: bigint): bigint {
  return isDebitNormal(kind) ? debitCents - creditCents : creditCents - debitCents;
}
