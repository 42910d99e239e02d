/** How a run was started. */
export type RunTrigger = 'scheduled' | 'manual';

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';

/** A clearing run as stored in settlement.runs. */
export interface ClearingRun {
  id: string;
  runKey: string;
  trigger: RunTrigger;
  /** A manual run may be restricted to one association. */
  associationId: string | null;
  asOf: Date;
  manualCutoff: Date | null;
  status: RunStatus;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  attempts: number;
  lastError: string | null;
  summary: RunSummary | null;
}

/** What a run did, kept on the run and shown to operator finance. */
export interface RunSummary {
  statementsPlanned: number;
  statementsIssued: { statementId: string; number: string; associationId: string; netCents: string }[];
  emptyDraftsDropped: number;
  payoutsCreated: number;
  replacementPayouts: number;
  held: { payoutId: string; associationId: string; reason: string; detail?: string | undefined }[];
  released: number;
  files: { fileId: string; messageId: string; executionDate: string; payments: number; totalCents: string }[];
  failures: { associationId: string; statementId: string; error: string }[];
}

/** An empty summary to fill in. */
export function emptySummary(): RunSummary {
  return {
    statementsPlanned: 0,
    statementsIssued: [],
    emptyDraftsDropped: 0,
    payoutsCreated: 0,
    replacementPayouts: 0,
    held: [],
    released: 0,
    files: [],
    failures: [],
  };
}

/**
 * Points of a run where a crash is survivable and tested (the fault-injection test kills the worker at each
 * of them): `*_before_commit` inside an open transaction, the others right after a commit.
 */
export type ClearingCheckpoint =
  | 'planned'
  | 'chunk_before_commit'
  | 'chunk_committed'
  | 'statement_issued'
  | 'payouts_prepared'
  | 'file_before_commit'
  | 'file_exported';

/** Knobs of a run: chunk size (redemptions per transaction) and a hook called at each checkpoint. */
export interface ClearingOptions {
  chunkSize?: number;
  /** Statements filled at once (PostgreSQL only; numbering stays sequential and ordered). */
  fillConcurrency?: number;
  /** Statements issued per transaction (default 50). */
  issueBatchSize?: number;
  checkpoint?: (point: ClearingCheckpoint, detail: Record<string, unknown>) => void | Promise<void>;
}

/** Default redemptions per fill transaction: small enough for PGlite's single connection to stay responsive. */
export const DEFAULT_CHUNK_SIZE = 2000;
