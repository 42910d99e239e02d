import { normalizeFrenchPhone, validateSiret } from '../identifiers';
import type { FieldProblems } from '../shared/field-problems';
import type { PostalAddress } from '../shared/postal-address';

/** Kinds of funder (DESIGN §1): public bodies of every level, social funds, companies. */
export const FUNDER_KINDS = [
  'departement',
  'intercommunalite',
  'commune',
  'ccas',
  'caf',
  'france_travail',
  'company',
  'other',
] as const;
export type FunderKind = (typeof FUNDER_KINDS)[number];

/** What the credit note of expired passes becomes: refunded by transfer, or used against a new order. */
export const EXPIRED_PASS_POLICIES = ['refund', 'reuse'] as const;
export type ExpiredPassPolicy = (typeof EXPIRED_PASS_POLICIES)[number];

export interface FunderContact {
  name: string;
  role: string | null;
  email: string | null;
  /** E.164. */
  phone: string | null;
}

export interface FunderContract {
  /** Fee on face value charged at funding, excl. VAT, as a decimal fraction string ("0.04"). */
  upstreamFeeRate: string;
  vatRate: string;
  expiredPassPolicy: ExpiredPassPolicy;
}

export interface Funder {
  id: string;
  name: string;
  kind: FunderKind;
  siret: string | null;
  contacts: FunderContact[];
  billingAddress: PostalAddress | null;
  contract: FunderContract;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of a funder, grouped by who may change them. */
export type FunderField = 'name' | 'kind' | 'siret' | 'contacts' | 'billingAddress' | 'contract';

/** Contract and identity are the operator's; the funder's own admins keep their contacts and address current. */
const SELF_SERVICE_FIELDS: readonly FunderField[] = ['contacts', 'billingAddress'];

export type FunderEditRefusal = 'operator_only_field' | 'not_org_admin';

/** Whether a member of the funder (not an operator) may change these fields. */
export function checkSelfServiceEdit(
  fields: readonly FunderField[],
  editor: { orgAdmin: boolean },
): { ok: true } | { ok: false; reason: FunderEditRefusal; fields: FunderField[] } {
  if (!editor.orgAdmin) return { ok: false, reason: 'not_org_admin', fields: [] };
  const forbidden = fields.filter((field) => !SELF_SERVICE_FIELDS.includes(field));
  return forbidden.length > 0
    ? { ok: false, reason: 'operator_only_field', fields: forbidden }
    : { ok: true };
}

/** Validates and normalises a SIRET for storage, recording a field problem when it is not valid. */
export function normalizeSiret(input: string, path: string, problems: FieldProblems): string | null {
  const result = validateSiret(input);
  if (result.ok) return result.value;
  problems.add(path, `siret_${result.reason}`, `Not a valid SIRET (${result.reason.replaceAll('_', ' ')}).`);
  return null;
}

/** Normalises contacts (phones to E.164), recording a field problem for each unreadable phone. */
export function normalizeContacts(
  contacts: readonly { name: string; role?: string | null; email?: string | null; phone?: string | null }[],
  path: string,
  problems: FieldProblems,
): FunderContact[] {
  return contacts.map((contact, index) => {
    let phone: string | null = null;
    if (contact.phone) {
      const result = normalizeFrenchPhone(contact.phone);
      if (result.ok) phone = result.value;
      else problems.add(`${path}.${index}.phone`, `phone_${result.reason}`, 'Not a French phone number.');
    }
    return { name: contact.name, role: contact.role ?? null, email: contact.email ?? null, phone };
  });
}
