import { api } from './client';
import type { Page } from './registry-api';

// Organisations of the registry: funders, distributors, associations, users.

export interface Distributor {
  id: string;
  name: string;
  funderId: string | null;
  postcode?: string | null;
  town?: string | null;
}

export interface Association {
  id: string;
  name: string;
  legalName?: string;
  rna?: string | null;
  siret?: string | null;
  payoutsHeld?: boolean;
  payoutHoldReason?: 'flagged' | 'bank_change_pending' | 'bank_details_missing' | null;
  bankDetailsStatus?: string;
  flaggedAt?: string | null;
  flagReason?: string | null;
  bankAccount?: { iban: string; bic: string; accountHolderName: string } | null;
}

export const listDistributors = (signal?: AbortSignal) =>
  api.get<Page<Distributor>>('/distributors', { limit: 200 }, signal);
export const listAssociations = (signal?: AbortSignal) =>
  api.get<Page<Association>>('/associations', { limit: 200 }, signal);
export const getAssociation = (id: string, signal?: AbortSignal) =>
  api.get<Association>(`/associations/${encodeURIComponent(id)}`, undefined, signal);

export type BankChangeStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface BankChangeRequest {
  id: string;
  associationId: string;
  /** The IBAN comes masked except to whoever must check it. */
  account: { iban: string; bic: string; accountHolderName: string };
  status: BankChangeStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

export const BANK_CHANGE_LABELS: Readonly<Record<BankChangeStatus, string>> = {
  pending: 'En attente d’approbation',
  approved: 'Approuvée',
  rejected: 'Refusée',
  cancelled: 'Retirée',
};

export const listBankChanges = (query: { status?: BankChangeStatus }, signal?: AbortSignal) =>
  api.get<Page<BankChangeRequest>>('/bank-change-requests', { ...query, limit: 200 }, signal);
export const listAssociationBankChanges = (associationId: string, signal?: AbortSignal) =>
  api.get<Page<BankChangeRequest>>(
    `/associations/${encodeURIComponent(associationId)}/bank-change-requests`,
    { limit: 50 },
    signal,
  );
export const requestBankChange = (
  associationId: string,
  account: { iban: string; bic: string; accountHolderName: string },
) =>
  api.post<BankChangeRequest>(
    `/associations/${encodeURIComponent(associationId)}/bank-change-requests`,
    account,
  );
export const decideBankChange = (id: string, decision: 'approve' | 'reject' | 'cancel', reason?: string) =>
  api.post<BankChangeRequest>(
    `/bank-change-requests/${encodeURIComponent(id)}/${decision}`,
    reason ? { reason } : {},
  );

export interface ImportIssue {
  code: string;
  field?: string;
  message: string;
}

export interface VenueImportReport {
  dryRun: boolean;
  format: 'csv' | 'json';
  schemaVersion: '0.1' | '1.x';
  source: string | null;
  fileWarnings: ImportIssue[];
  summary: {
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
    acceptingPass: number;
    warnings: Record<string, number>;
  };
  rows: {
    rowNumber: number;
    line: number | null;
    sourceId: string | null;
    name: string | null;
    outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
    venueId: string | null;
    acceptsPass: boolean;
    status: string | null;
    changedFields: string[];
    warnings: ImportIssue[];
    errors: ImportIssue[];
  }[];
}

/** Sends the file as it is (text/csv, or JSON in an envelope); a dry run unless `apply`. */
export function importVenues(file: { name: string; text: string }, apply: boolean) {
  const dryRun = apply ? 'false' : 'true';
  if (/\.json$/i.test(file.name)) {
    return api.post<VenueImportReport>(
      '/venues/import',
      { format: 'json', content: file.text },
      { query: { dryRun } },
    );
  }
  return api.json<VenueImportReport>('POST', '/venues/import', {
    query: { dryRun },
    raw: { body: file.text, contentType: 'text/csv' },
  });
}

export interface AuditRecord {
  id: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  actorRole: string | null;
  organisationId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: Record<string, unknown>;
  requestId: string | null;
}

export const searchAudit = (
  query: {
    action?: string;
    targetType?: string;
    targetId?: string;
    actorId?: string;
    from?: string;
    to?: string;
    cursor?: string;
  },
  signal?: AbortSignal,
) => api.get<Page<AuditRecord>>('/audit', { ...query, limit: 100 }, signal);
