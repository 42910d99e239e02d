import { randomUUID } from 'node:crypto';
import type { Db } from '@pass/db';
import { businessDate } from '../shared/business-time';
import type { SettlementDeps } from '../shared/settlement-deps';
import type { ClearingRun } from './clearing-run';
import { insertRunOnce } from './clearing-store';
import { manualCutoff } from './cutoff';

/** The job that executes one run (data: `{ runId }`), enqueued through the outbox. */
export const CLEARING_JOB = 'settlement.clearing';
/** The daily job that creates (or resumes) the day's scheduled run and executes it. */
export const SCHEDULED_CLEARING_JOB = 'settlement.clearing-scheduled';

/** One scheduled run per business day: the same day is always the same run. */
export function scheduledRunKey(asOf: Date, timeZone: string): string {
  return `scheduled:${businessDate(asOf, timeZone)}`;
}

/**
 * The scheduled run of the business day of `asOf`, created on first call. Its as_of is the first call's, so a
 * re-delivered or re-started job resumes the very same run with the same cut-offs.
 */
export async function ensureScheduledRun(deps: SettlementDeps, asOf: Date): Promise<ClearingRun> {
  const { run } = await insertRunOnce(deps.knex, {
    id: randomUUID(),
    runKey: scheduledRunKey(asOf, deps.config.businessTimezone),
    trigger: 'scheduled',
    associationId: null,
    asOf,
    manualCutoff: null,
    requestedBy: 'schedule',
    createdAt: asOf,
  });
  return run;
}

/**
 * A run asked for by operator finance, cut at `asOf` minus the undo window, for one association or all.
 * `runKey` comes from the request's Idempotency-Key, so a retried request finds the same run.
 */
export async function createManualRun(
  db: Db,
  params: {
    runKey: string;
    associationId: string | null;
    requestedBy: string;
    asOf: Date;
    undoWindowHours: number;
  },
): Promise<{ run: ClearingRun; created: boolean }> {
  return insertRunOnce(db, {
    id: randomUUID(),
    runKey: params.runKey,
    trigger: 'manual',
    associationId: params.associationId,
    asOf: params.asOf,
    manualCutoff: manualCutoff(params.asOf, params.undoWindowHours),
    requestedBy: params.requestedBy,
    createdAt: params.asOf,
  });
}
