import { randomUUID } from 'node:crypto';
import { recordAudit } from '@pass/audit';
import { AppError, ConflictError, NotFoundError } from '@pass/errors';
import { accounts, credit, debit, post } from '@pass/ledger';
import type { Knex } from 'knex';
import { settleRedeemedVouchers } from '@pass/vouchers';
import { loadPayoutAccounts, type PayoutAccountRow, payoutAccountOf } from '../payouts/payout-account';
import { exportPayouts } from '../payouts/payout-export';
import {
  insertPayout,
  lockPayoutsInStatus,
  setHoldReasons,
  statementsToPayAgain,
} from '../payouts/payout-store';
import { businessDate, yearOf } from '../shared/business-time';
import { nextDocumentNumber } from '../shared/document-number';
import { SETTLEMENT_JOB_ACTOR, type SettlementDeps } from '../shared/settlement-deps';
import {
  type ClearingCheckpoint,
  type ClearingOptions,
  type ClearingRun,
  DEFAULT_CHUNK_SIZE,
  emptySummary,
  type RunSummary,
} from './clearing-run';
import {
  addRedemptionChunk,
  type DraftStatement,
  deleteEmptyDraft,
  draftTotals,
  findRun,
  inconsistentRedemptions,
  listDrafts,
  loadPayees,
  type Payee,
  lockStatement,
  markIssued,
  markRunFinished,
  markRunStarted,
  planDrafts,
} from './clearing-store';
import { CADENCES, scheduledWindow } from './cutoff';
import { statementFee } from './fee';

/** A chunk lost a race with an undo (or another settler): its transaction is rolled back and redone. */
class ChunkRaceError extends Error {}

const CHUNK_ATTEMPTS = 3;

/**
 * Executes (or resumes) a clearing run: plan drafts, fill them chunk by chunk, issue them in order (number,
 * fee, payout), pay again what the bank returned, re-check held payouts, export what can be paid into
 * pain.001 files. Every step is its own short transaction guarded by unique constraints and
 * conditional updates, so killing the process anywhere and running again gives the same statements and
 * never a second payout.
 */
export async function executeRun(
  deps: SettlementDeps,
  runId: string,
  options: ClearingOptions = {},
): Promise<RunSummary> {
  const { knex } = deps;
  const run = await findRun(knex, runId);
  if (!run) throw new NotFoundError('run_not_found', 'No such clearing run.');
  await markRunStarted(knex, run.id, deps.clock());
  const summary = emptySummary();
  const checkpoint = async (point: ClearingCheckpoint, detail: Record<string, unknown> = {}) => {
    await options.checkpoint?.(point, { runId: run.id, ...detail });
  };
  try {
    summary.statementsPlanned = await plan(deps, run);
    await checkpoint('planned', { planned: summary.statementsPlanned });

    const drafts = await listDrafts(knex, run.associationId);
    // Filling and issuing overlap: statements are issued in order, a batch as soon as its drafts are filled.
    const filled = fillDrafts(deps, drafts, options, summary, checkpoint);
    try {
      await issueDrafts(
        deps,
        run,
        drafts,
        filled,
        options.issueBatchSize ?? ISSUE_BATCH,
        summary,
        checkpoint,
      );
    } finally {
      // Never leave fills running behind a failed issue: they would outlive the run.
      await Promise.all(filled);
    }

    await preparePayouts(deps, run, summary);
    await checkpoint('payouts_prepared');
    await exportPayouts(deps, run, summary, checkpoint);

    // A payout re-checked at export time may be reported twice: keep its last reason.
    summary.held = [...new Map(summary.held.map((held) => [held.payoutId, held])).values()];
    const failed = summary.failures.length > 0;
    await markRunFinished(knex, run.id, {
      status: failed ? 'failed' : 'completed',
      at: deps.clock(),
      summary,
      error: failed ? `${summary.failures.length} statement(s) failed; see summary.failures` : undefined,
    });
    deps.logger.info(
      {
        runId: run.id,
        issued: summary.statementsIssued.length,
        files: summary.files.length,
        held: summary.held.length,
        failures: summary.failures.length,
      },
      'settlement.run_finished',
    );
    return summary;
  } catch (err) {
    await markRunFinished(knex, run.id, {
      status: 'failed',
      at: deps.clock(),
      summary,
      error: err instanceof Error ? err.message : String(err),
    }).catch(() => undefined);
    throw err;
  }
}

function recordFailure(deps: SettlementDeps, summary: RunSummary, draft: DraftStatement, err: unknown): void {
  const message =
    err instanceof AppError
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  deps.logger.error(
    { err, statementId: draft.id, associationId: draft.associationId },
    'settlement.statement_failed',
  );
  summary.failures.push({ associationId: draft.associationId, statementId: draft.id, error: message });
}

/** Creates the drafts of the run; returns how many are new. */
async function plan(deps: SettlementDeps, run: ClearingRun): Promise<number> {
  const { undoWindowHours, businessTimezone } = deps.config;
  const windows = run.manualCutoff
    ? [{ cadence: '*' as const, cutoff: run.manualCutoff, periodStart: null }]
    : CADENCES.map((cadence) => ({
        cadence,
        ...scheduledWindow(cadence, run.asOf, undoWindowHours, businessTimezone),
      }));
  return deps.knex.transaction((trx) =>
    planDrafts(trx, {
      runId: run.id,
      issueDate: businessDate(run.asOf, businessTimezone),
      createdAt: deps.clock(),
      associationId: run.associationId,
      windows,
    }),
  );
}

/**
 * Starts filling drafts, a few at once on PostgreSQL (they touch different associations), one at a time on
 * PGlite; returns, per draft, a promise of whether its fill succeeded (a failure is in the summary).
 */
function fillDrafts(
  deps: SettlementDeps,
  drafts: DraftStatement[],
  options: ClearingOptions,
  summary: RunSummary,
  checkpoint: (point: ClearingCheckpoint, detail?: Record<string, unknown>) => Promise<void>,
): Promise<boolean>[] {
  const concurrency = deps.knex.client.config.client === 'pg' ? Math.max(1, options.fillConcurrency ?? 1) : 1;
  const settle = drafts.map(() => {
    let resolve!: (ok: boolean) => void;
    const promise = new Promise<boolean>((done) => {
      resolve = done;
    });
    return { promise, resolve };
  });
  let next = 0;
  const worker = async () => {
    while (next < drafts.length) {
      const index = next++;
      const draft = drafts[index]!;
      try {
        await fillDraft(deps, draft, options.chunkSize ?? DEFAULT_CHUNK_SIZE, checkpoint);
        settle[index]!.resolve(true);
      } catch (err) {
        recordFailure(deps, summary, draft, err);
        settle[index]!.resolve(false);
      }
    }
  };
  for (let lane = 0; lane < Math.min(concurrency, drafts.length); lane++) void worker();
  return settle.map((s) => s.promise);
}

/**
 * Moves the draft's redemptions onto it, `chunkSize` per transaction, until none is left. Each chunk writes
 * the statement's redemptions, its per-pass lines and totals, and moves the passes to `settled` (which is
 * what refuses a later undo). A pass that is no longer `redeemed` when the UPDATE reaches it (an undo won
 * the race) rolls the chunk back; it is then redone without that redemption.
 */
async function fillDraft(
  deps: SettlementDeps,
  draft: DraftStatement,
  chunkSize: number,
  checkpoint: (point: ClearingCheckpoint, detail?: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  for (;;) {
    let added = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        added = await deps.knex.transaction(async (trx) => {
          if ((await lockStatement(trx, draft.id)) !== 'draft') return 0;
          const { redemptions, lines } = await addRedemptionChunk(trx, draft, chunkSize);
          if (redemptions.length === 0) return 0;
          const inconsistent = inconsistentRedemptions(redemptions, lines);
          if (inconsistent.length > 0) {
            throw new ConflictError(
              'redemption_amount_mismatch',
              'A redemption amount differs from the face value of its live passes.',
              { details: { redemptionIds: inconsistent.slice(0, 20) } },
            );
          }
          const settled = await settleRedeemedVouchers(
            trx,
            lines.map((line) => line.voucherId),
            {
              actor: SETTLEMENT_JOB_ACTOR,
              at: deps.clock(),
              reference: `statement:${draft.id}`,
            },
          );
          if (!settled.ok)
            throw new ChunkRaceError(`${settled.expected - settled.settled} pass(es) no longer redeemed`);
          await checkpoint('chunk_before_commit', { statementId: draft.id, redemptions: redemptions.length });
          return redemptions.length;
        });
        break;
      } catch (err) {
        if (err instanceof ChunkRaceError && attempt < CHUNK_ATTEMPTS) {
          deps.logger.warn({ statementId: draft.id, attempt, err }, 'settlement.chunk_race');
          continue;
        }
        throw err;
      }
    }
    if (added > 0) await checkpoint('chunk_committed', { statementId: draft.id, redemptions: added });
    if (added < chunkSize) return;
  }
}

/** Statements issued per transaction: numbering stays in order, commits are fewer. */
const ISSUE_BATCH = 50;

type IssueOutcome =
  | { kind: 'dropped' }
  | { kind: 'already_issued' }
  | { kind: 'issued'; entry: RunSummary['statementsIssued'][number]; payout: boolean };

/**
 * Issues filled drafts in order, `batchSize` per transaction. When a batch fails, its drafts are issued one
 * at a time, so that one bad statement is reported without holding back the others.
 */
async function issueDrafts(
  deps: SettlementDeps,
  run: ClearingRun,
  allDrafts: DraftStatement[],
  filled: Promise<boolean>[],
  batchSize: number,
  summary: RunSummary,
  checkpoint: (point: ClearingCheckpoint, detail?: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  const record = async (draft: DraftStatement, outcome: IssueOutcome) => {
    if (outcome.kind === 'dropped') summary.emptyDraftsDropped++;
    // Issued meanwhile by another worker running the same or another run: nothing to report here.
    if (outcome.kind !== 'issued') return;
    summary.statementsIssued.push(outcome.entry);
    if (outcome.payout) summary.payoutsCreated++;
    await checkpoint('statement_issued', { statementId: draft.id });
  };
  for (let start = 0; start < allDrafts.length; start += batchSize) {
    const ok = await Promise.all(filled.slice(start, start + batchSize));
    // A draft whose fill failed stays a draft (reported); the others are issued in order.
    const batch = allDrafts.slice(start, start + batchSize).filter((_, index) => ok[index]);
    if (batch.length === 0) continue;
    const payoutAccounts = await loadPayoutAccounts(
      deps.knex,
      batch.map((draft) => draft.associationId),
    );
    let outcomes: IssueOutcome[] | undefined;
    try {
      outcomes = await deps.knex.transaction(async (trx) => {
        const payees = await loadPayees(
          trx,
          batch.map((draft) => draft.associationId),
        );
        const done: IssueOutcome[] = [];
        for (const draft of batch) done.push(await issueDraft(deps, trx, run, draft, payoutAccounts, payees));
        return done;
      });
    } catch (err) {
      deps.logger.warn({ err, runId: run.id }, 'settlement.issue_batch_failed');
    }
    if (outcomes) {
      for (const [index, outcome] of outcomes.entries()) await record(batch[index]!, outcome);
      continue;
    }
    for (const draft of batch) {
      try {
        const outcome = await deps.knex.transaction(async (trx) =>
          issueDraft(deps, trx, run, draft, payoutAccounts, await loadPayees(trx, [draft.associationId])),
        );
        await record(draft, outcome);
      } catch (err) {
        recordFailure(deps, summary, draft, err);
      }
    }
  }
}

/**
 * Issues a filled draft in the caller's transaction: totals, the fee (half-up, once, on the total), the
 * gapless number, the fee entry in the ledger, the payee snapshot and the payout (held when the account
 * cannot be paid). An empty draft is dropped without using a number.
 */
async function issueDraft(
  deps: SettlementDeps,
  trx: Knex.Transaction,
  run: ClearingRun,
  draft: DraftStatement,
  payoutAccounts: Map<string, PayoutAccountRow>,
  payees: Map<string, Payee>,
): Promise<IssueOutcome> {
  const status = await lockStatement(trx, draft.id);
  if (status !== 'draft') return { kind: 'already_issued' };
  const totals = await draftTotals(trx, draft.id);
  if (totals.redemptionCount === 0) {
    await deleteEmptyDraft(trx, draft.id);
    return { kind: 'dropped' };
  }
  const payee = payees.get(draft.associationId);
  if (!payee)
    throw new NotFoundError('association_not_found', 'The association of the statement is unknown.');
  const feeCents = statementFee(totals.grossCents, draft.feeRate);
  const netCents = totals.grossCents - feeCents;
  const number = await nextDocumentNumber(trx, 'statement', yearOf(draft.issueDate));
  let feeEntryId: string | null = null;
  if (feeCents > 0n) {
    const entry = await post(trx, {
      kind: 'fee_charged',
      reference: `statement:${draft.id}`,
      actor: SETTLEMENT_JOB_ACTOR,
      description: `Commission relevé ${number.number}`,
      effectiveDate: draft.issueDate,
      idempotencyKey: `settlement:fee:${draft.id}`,
      lines: [
        debit(accounts.associationPayable(draft.associationId), feeCents),
        credit(accounts.operatorFees(), feeCents),
      ],
    });
    feeEntryId = entry.id;
  }
  const issuedAt = deps.clock();
  await markIssued(trx, draft.id, { ...number, ...totals, feeCents, netCents, feeEntryId, payee, issuedAt });
  let payout = false;
  if (netCents > 0n) {
    const account = payoutAccountOf(payoutAccounts.get(draft.associationId));
    await insertPayout(trx, {
      id: randomUUID(),
      statementId: draft.id,
      associationId: draft.associationId,
      amountCents: netCents,
      holdReason: account.ok ? null : account.reason,
      replacesPayoutId: null,
      createdAt: issuedAt,
    });
    payout = true;
  }
  await recordAudit(trx, {
    actor: { kind: 'system', subjectId: SETTLEMENT_JOB_ACTOR },
    action: 'settlement.statement_issued',
    targetType: 'statement',
    targetId: draft.id,
    organisationId: draft.associationId,
    summary: {
      number: number.number,
      runId: run.id,
      cutoff: draft.cutoff.toISOString(),
      redemptions: totals.redemptionCount,
      gross: totals.grossCents.toString(),
      fee: feeCents.toString(),
      net: netCents.toString(),
    },
    at: issuedAt,
  });
  return {
    kind: 'issued',
    entry: {
      statementId: draft.id,
      number: number.number,
      associationId: draft.associationId,
      netCents: netCents.toString(),
    },
    payout,
  };
}

/**
 * Pays again what the bank sent back (a new payout for the same statement, held while the association is
 * flagged) and re-checks every held or ready payout against the association's current account: held ones
 * whose reason is gone are released, ready ones whose account is no longer payable are held.
 */
async function preparePayouts(deps: SettlementDeps, run: ClearingRun, summary: RunSummary): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    const again = await statementsToPayAgain(trx, run.associationId);
    const accountsNow = await loadPayoutAccounts(
      trx,
      again.map((s) => s.associationId),
    );
    for (const statement of again) {
      const account = payoutAccountOf(accountsNow.get(statement.associationId));
      await insertPayout(trx, {
        id: randomUUID(),
        statementId: statement.statementId,
        associationId: statement.associationId,
        amountCents: statement.netCents,
        holdReason: account.ok ? null : account.reason,
        replacesPayoutId: statement.lastPayoutId,
        createdAt: deps.clock(),
      });
      summary.replacementPayouts++;
    }

    const pending = await lockPayoutsInStatus(trx, ['held', 'created'], run.associationId);
    const payable = await loadPayoutAccounts(
      trx,
      pending.map((p) => p.associationId),
    );
    const changes: { id: string; reason: ReturnType<typeof holdReasonOf> }[] = [];
    for (const payout of pending) {
      const account = payoutAccountOf(payable.get(payout.associationId));
      const reason = holdReasonOf(account);
      if (reason !== payout.holdReason) changes.push({ id: payout.id, reason });
      if (payout.status === 'held' && reason === null) summary.released++;
      if (reason !== null) {
        summary.held.push({
          payoutId: payout.id,
          associationId: payout.associationId,
          reason,
          detail: account.ok ? undefined : account.detail,
        });
      }
    }
    await setHoldReasons(trx, changes);
  });
}

function holdReasonOf(account: ReturnType<typeof payoutAccountOf>) {
  return account.ok ? null : account.reason;
}

/** The execution year of a run, for the message ids of its files. */
export function runYear(run: ClearingRun, timeZone: string): number {
  return yearOf(businessDate(run.asOf, timeZone));
}
