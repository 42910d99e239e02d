export type { ClearingCheckpoint, ClearingOptions, ClearingRun, RunSummary } from './clearing/clearing-run';
export { executeRun } from './clearing/clearing-runner';
export {
  CLEARING_JOB,
  createManualRun,
  ensureScheduledRun,
  SCHEDULED_CLEARING_JOB,
} from './clearing/clearing-service';
export { type Cadence, manualCutoff, scheduledWindow } from './clearing/cutoff';
export { statementFee } from './clearing/fee';
export { type ExpirySummary, runExpiry } from './expiry/expiry-job';
export { settlementMigrations } from './migrations';
export { type ReconciliationReport, reconcile } from './reconciliation/reconcile';
export { EXPIRY_JOB, SETTLEMENT_SCHEDULES, settlementModule } from './settlement-module';
