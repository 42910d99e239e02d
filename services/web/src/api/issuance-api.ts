import type { Money } from '../lib/format';
import { api } from './client';
import type { Page } from './registry-api';

// Issuance endpoints (services/issuance/src/**/*-routes.ts and *-schemas.ts).

export type BatchStatus = 'draft' | 'awaiting_funding' | 'active' | 'closed';
export type JobState = 'pending' | 'running' | 'completed' | 'failed';

export interface Territory {
  departements: string[];
  communes: string[];
}

export interface BatchRequest {
  faceValue?: Money;
  bookletSize: 5 | 10;
  bookletCount: number;
  validFrom: string;
  validUntil: string;
  toleranceDays: number;
  territory: Territory;
  serviceCategories: string[];
  wording: string;
  funderId?: string;
}

export interface Quote {
  voucherCount: number;
  faceValue: Money;
  faceTotal: Money;
  upstreamFeeRate: string;
  upstreamFee: Money;
  vatRate: string;
  vat: Money;
  total: Money;
}

export interface GenerationProgress {
  state: JobState;
  generated: number;
  total: number;
  percent: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  lastError: string | null;
}

export interface Batch {
  id: string;
  reference: string;
  number: number;
  funder: { id: string; name: string | null };
  status: BatchStatus;
  faceValue: Money;
  bookletSize: number;
  bookletCount: number;
  voucherCount: number;
  validFrom: string;
  validUntil: string;
  toleranceDays: number;
  lastAcceptedDate: string;
  distributionStopDate: string;
  territory: Territory;
  serviceCategories: string[];
  wording: string;
  quote: Omit<Quote, 'voucherCount' | 'faceValue'>;
  funding: {
    amount: Money;
    method: 'mandate' | 'bank_transfer';
    reference: string;
    receivedOn: string;
    recordedBy: string;
    recordedAt: string;
  } | null;
  generation: GenerationProgress | null;
  proof: { approved: boolean; approvedBy: string | null; approvedAt: string | null };
  bookletsPdf: {
    state: JobState;
    renderedPasses: number;
    totalPasses: number;
    bytes: number | null;
    completedAt: string | null;
    lastError: string | null;
  } | null;
  createdAt: string;
  submittedAt: string | null;
  activatedAt: string | null;
  closedAt: string | null;
}

export interface DistributionSummary {
  batchId: string;
  booklets: {
    issued: number;
    distributed: number;
    started: number;
    finished: number;
    total: number;
    withDistributors: number;
  };
  passes: {
    issued: number;
    distributed: number;
    available: number;
    redeemed: number;
    settled: number;
    cancelled: number;
    expired: number;
  };
  distributors: { distributorId: string; name: string | null; booklets: number }[];
}

export interface BookletUsage {
  booklet: number;
  state: 'issued' | 'distributed' | 'started' | 'finished';
  passes: number;
  distributed: number;
  used: number;
  available: number;
  inStock: number;
  cancelled: number;
  expired: number;
  holder: { distributorId: string; name: string | null } | null;
}

export interface StockMove {
  batchId: string;
  fromBooklet: number;
  toBooklet: number;
  booklets: number;
  passes: number;
}

export interface DistributorStock {
  distributorId: string;
  batches: {
    batchId: string;
    reference: string;
    status: string;
    validUntil: string;
    distributionStopDate: string;
    booklets: number;
    ranges: { from: number; to: number }[];
    passesInStock: number;
  }[];
}

export interface HandOutResult {
  batchId: string;
  booklet: number;
  serials: number[];
  handedOut: number;
  value: Money;
  /** Nothing left to hand out in the booklet: it left the distributor's stock. */
  leftStock: boolean;
}

export type CancelReason = 'lost' | 'stolen' | 'damaged' | 'fraud' | 'other';

export type CancellationTarget =
  | { kind: 'pass'; serial: number }
  | { kind: 'booklet'; booklet: number }
  | { kind: 'range'; fromSerial: number; toSerial: number }
  | { kind: 'code'; code: string };

export interface Cancellation {
  id: string;
  batchId: string;
  reason: CancelReason;
  cancelled: number;
  ranges: { from: number; to: number }[];
  amount: Money;
  ledgerEntryId: string | null;
}

export interface BatchEvent {
  id: string;
  kind: string;
  serialFrom: number | null;
  serialTo: number | null;
  actor: string;
  at: string;
  place: string | null;
  reason: string | null;
  reference: string | null;
}

export const BATCH_STATUS_LABELS: Readonly<Record<BatchStatus, string>> = {
  draft: 'Brouillon',
  awaiting_funding: 'En attente de financement',
  active: 'Active',
  closed: 'Close',
};

export const CANCEL_REASON_LABELS: Readonly<Record<CancelReason, string>> = {
  lost: 'Perdu',
  stolen: 'Volé',
  damaged: 'Abîmé',
  fraud: 'Fraude',
  other: 'Autre motif',
};

const batchPath = (id: string) => `/batches/${encodeURIComponent(id)}`;

export const quoteBatch = (request: BatchRequest) => api.post<Quote>('/batches/quote', request);
export const createBatch = (request: BatchRequest) => api.post<Batch>('/batches', request);
export const listBatches = (
  query: { status?: BatchStatus; funderId?: string; limit?: number; cursor?: string },
  signal?: AbortSignal,
) => api.get<Page<Batch>>('/batches', query, signal);
export const getBatch = (id: string, signal?: AbortSignal) =>
  api.get<Batch>(batchPath(id), undefined, signal);
export const submitBatch = (id: string) => api.post<Batch>(`${batchPath(id)}/submit`);
export const approveProof = (id: string) => api.post<Batch>(`${batchPath(id)}/proof/approve`);
export const closeBatch = (id: string, reason?: string) =>
  api.post<Batch>(`${batchPath(id)}/close`, reason ? { reason } : {});
export const getGeneration = (id: string, signal?: AbortSignal) =>
  api.get<GenerationProgress>(`${batchPath(id)}/generation`, undefined, signal);
export const rerenderBooklets = (id: string) =>
  api.post<{ queued: boolean }>(`${batchPath(id)}/booklets/render`);
export const getDistribution = (id: string, signal?: AbortSignal) =>
  api.get<DistributionSummary>(`${batchPath(id)}/distribution`, undefined, signal);
export const listBooklets = (id: string, fromBooklet: number, signal?: AbortSignal) =>
  api.get<{ items: BookletUsage[]; nextFromBooklet: number | null }>(
    `${batchPath(id)}/booklets`,
    { fromBooklet, limit: 100 },
    signal,
  );
export const listBatchEvents = (id: string, signal?: AbortSignal) =>
  api.get<{ items: BatchEvent[]; nextCursor: string | null }>(
    `${batchPath(id)}/events`,
    { limit: 100 },
    signal,
  );

export const assignStock = (
  id: string,
  body: { distributorId: string; fromBooklet: number; toBooklet: number },
) => api.post<StockMove>(`${batchPath(id)}/stock/assignments`, body);
export const transferStock = (
  id: string,
  body: { fromDistributorId?: string; toDistributorId: string; fromBooklet: number; toBooklet: number },
) => api.post<StockMove>(`${batchPath(id)}/stock/transfers`, body);
export const returnStock = (
  id: string,
  body: { distributorId?: string; fromBooklet: number; toBooklet: number },
) => api.post<StockMove>(`${batchPath(id)}/stock/returns`, body);
export const myStock = (signal?: AbortSignal) =>
  api.get<DistributorStock>('/distribution/stock', undefined, signal);
export const handOut = (body: {
  batchId: string;
  booklet?: number;
  serial?: number;
  beneficiaryRef?: string;
}) => api.post<HandOutResult>('/distribution/hand-outs', body);

/** Money-moving: a fresh Idempotency-Key per attempt. */
export const cancelPasses = (
  id: string,
  body: { target: CancellationTarget; reason: CancelReason; note?: string },
  idempotencyKey: string,
) => api.post<Cancellation>(`${batchPath(id)}/cancellations`, body, { idempotencyKey });
export const recordFunding = (
  id: string,
  body: { amount: Money; method: 'mandate' | 'bank_transfer'; reference: string; receivedOn: string },
  idempotencyKey: string,
) => api.post<Batch>(`${batchPath(id)}/funding`, body, { idempotencyKey });
export const activateBatch = (id: string, idempotencyKey: string) =>
  api.post<Batch>(`${batchPath(id)}/activate`, undefined, { idempotencyKey });

export const proofPdfPath = (id: string) => `${batchPath(id)}/proof.pdf`;
export const bookletsPdfPath = (id: string) => `${batchPath(id)}/booklets.pdf`;
export const printerCsvPath = (id: string) => `${batchPath(id)}/printer.csv`;
