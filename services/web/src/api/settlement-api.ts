import type { Money } from '../lib/format';
import { api } from './client';
import type { Page } from './registry-api';

// Settlement endpoints (services/settlement/src/**/*-routes.ts).

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';
export type PayoutStatus = 'held' | 'created' | 'exported' | 'paid' | 'rejected';

export interface RunSummary {
  statementsPlanned: number;
  statementsIssued: { statementId: string; number: string; associationId: string; netCents: string }[];
  payoutsCreated: number;
  held: { payoutId: string; associationId: string; reason: string; detail?: string }[];
  files: { fileId: string; messageId: string; executionDate: string; payments: number; totalCents: string }[];
  failures: { associationId: string; statementId: string; error: string }[];
}

export interface SettlementRun {
  id: string;
  runKey: string;
  trigger: 'scheduled' | 'manual';
  associationId: string | null;
  asOf: string;
  manualCutoff: string | null;
  status: RunStatus;
  requestedBy: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  attempts: number;
  lastError: string | null;
  summary: Partial<RunSummary> | null;
}

export interface Statement {
  id: string;
  number: string | null;
  status: 'draft' | 'issued';
  associationId: string;
  associationName: string | null;
  issueDate: string;
  cutoff: string;
  periodStart: string | null;
  /** In French, e.g. "du 01/11/2026 au 30/11/2026". */
  period: string;
  feeRate: string;
  redemptionCount: number;
  voucherCount: number;
  gross: Money;
  fee: Money;
  net: Money;
  payout: {
    id: string;
    status: string;
    statusLabel: string;
    amount: Money;
    executionDate: string | null;
  } | null;
}

export interface Payout {
  id: string;
  endToEndId: string;
  associationId: string;
  associationName: string;
  statementId: string;
  statementNumber: string;
  amount: Money;
  status: PayoutStatus;
  /** French, from the server. */
  statusLabel: string;
  holdReason: string | null;
  holdReasonLabel: string | null;
  executionDate: string | null;
  paidOn: string | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
  fileId: string | null;
  createdAt: string;
}

export interface PayoutFile {
  id: string;
  messageId: string;
  executionDate: string;
  paymentCount: number;
  controlSum: Money;
  createdAt: string;
}

export type LineOutcome = 'paid' | 'rejected' | 'unmatched' | 'duplicate' | 'ignored';

export interface BankImportReport {
  importId: string;
  messageId: string;
  messageType: string | null;
  alreadyImported: boolean;
  counts: Partial<Record<LineOutcome, number>>;
  lines: {
    lineNo: number;
    endToEndId: string | null;
    payoutId: string | null;
    amount: string;
    currency: string;
    reasonCode: string | null;
    bookingDate: string | null;
    outcome: LineOutcome;
    detail: string | null;
  }[];
}

export const RUN_STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  pending: 'En attente',
  running: 'En cours',
  completed: 'Terminé',
  failed: 'Échec',
};

export const LINE_OUTCOME_LABELS: Readonly<Record<LineOutcome, string>> = {
  paid: 'Payé',
  rejected: 'Rejeté',
  unmatched: 'Non reconnu',
  duplicate: 'Déjà traité',
  ignored: 'Ignoré',
};

export const listRuns = (signal?: AbortSignal) =>
  api.get<Page<SettlementRun>>('/settlement/runs', { limit: 50 }, signal);
export const startRun = (body: { associationId?: string }, idempotencyKey: string) =>
  api.post<SettlementRun>('/settlement/runs', body, { idempotencyKey });
export const getRun = (id: string, signal?: AbortSignal) =>
  api.get<SettlementRun>(`/settlement/runs/${encodeURIComponent(id)}`, undefined, signal);

export const listStatements = (query: { associationId?: string }, signal?: AbortSignal) =>
  api.get<Page<Statement>>('/settlement/statements', { ...query, limit: 100 }, signal);
export const statementPdfPath = (id: string) => `/settlement/statements/${encodeURIComponent(id)}/pdf`;
export const statementCsvPath = (id: string) => `/settlement/statements/${encodeURIComponent(id)}/csv`;

export const listPayouts = (query: { associationId?: string; status?: PayoutStatus }, signal?: AbortSignal) =>
  api.get<Page<Payout>>('/settlement/payouts', { ...query, limit: 200 }, signal);
export const confirmPayout = (
  id: string,
  body: { outcome: 'paid'; paidOn: string } | { outcome: 'rejected'; reasonCode: string; info?: string },
  idempotencyKey: string,
) => api.post<Payout>(`/settlement/payouts/${encodeURIComponent(id)}/confirm`, body, { idempotencyKey });
export const listPayoutFiles = (signal?: AbortSignal) =>
  api.get<Page<PayoutFile>>('/settlement/payout-files', { limit: 50 }, signal);
export const payoutFilePath = (id: string) => `/settlement/payout-files/${encodeURIComponent(id)}`;

/** A camt.054 bank notification, sent as the XML the bank produced (a second import replays the first report). */
export const uploadCamt054 = (xml: string) =>
  api.json<BankImportReport>('POST', '/settlement/bank-returns', {
    raw: { body: xml, contentType: 'application/xml' },
  });
export const listBankImports = (signal?: AbortSignal) =>
  api.get<Page<BankImportReport>>('/settlement/bank-returns', { limit: 20 }, signal);

/** Redemptions, statements, payouts and passes reconciled with the ledger over a period. */
export const reconcile = (range: { from?: string; to?: string }, signal?: AbortSignal) =>
  api.get<Record<string, unknown>>('/settlement/reconciliation', range, signal);
/** The ledger's hash chain, recomputed (no settlement route serves it yet: « bientôt disponible »). */
export const verifyLedgerChain = () => api.post<Record<string, unknown>>('/ledger/verify');

/** Association treasurer: its redemptions with the statement each is on. */
export const redemptionsExportPath = '/settlement/exports/redemptions.csv';
export const payoutsExportPath = '/settlement/exports/payouts.csv';
