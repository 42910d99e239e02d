import type { CliCommand } from '@pass/http';
import { executeRun } from './clearing/clearing-runner';
import { createManualRun, ensureScheduledRun } from './clearing/clearing-service';
import { runExpiry } from './expiry/expiry-job';
import { reconcile } from './reconciliation/reconcile';
import { reconciliationJson, reconciliationText } from './reconciliation/reconciliation-view';
import { instantRange } from './shared/route-helpers';

/** The value after `--name` in CLI arguments, or undefined. */
export function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function usage(text: string): { exitCode: number; output: string } {
  return { exitCode: 2, output: text };
}

/** `npm run cli -- reconcile`, `settlement:run` and `settlement:expiry`. */
export const settlementCommands: CliCommand[] = [
  {
    name: 'reconcile',
    usage: 'reconcile [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]',
    summary: 'Reconcile associations and funders with the ledger for a period; exit 1 on any gap',
    async run(ctx, args) {
      const from = option(args, 'from');
      const to = option(args, 'to');
      if ((from && !ISO_DATE.test(from)) || (to && !ISO_DATE.test(to))) return usage('Dates are YYYY-MM-DD.');
      const range = instantRange({ from, to }, ctx.config.businessTimezone);
      const report = await reconcile(ctx.knex, { from: from ? range.from : null, to: to ? range.to : null });
      return {
        exitCode: report.ok ? 0 : 1,
        output: args.includes('--json')
          ? JSON.stringify(reconciliationJson(report), null, 2)
          : reconciliationText(report),
      };
    },
  },
  {
    name: 'settlement:run',
    usage: 'settlement:run [--manual [--association <id>]] [--json]',
    summary: "Run today's scheduled clearing now (or a manual one cut at now - undo window) and wait for it",
    async run(ctx, args) {
      const associationId = option(args, 'association');
      if (associationId && !UUID.test(associationId)) return usage('--association takes an association id.');
      const now = ctx.clock();
      const run = args.includes('--manual')
        ? (
            await createManualRun(ctx.knex, {
              runKey: `manual:cli:${now.toISOString()}`,
              associationId: associationId ?? null,
              requestedBy: 'cli',
              asOf: now,
              undoWindowHours: ctx.config.undoWindowHours,
            })
          ).run
        : await ensureScheduledRun(ctx, now);
      const summary = await executeRun(ctx, run.id);
      const failed = summary.failures.length > 0;
      const text = [
        `Run ${run.id} (${run.runKey}): ${summary.statementsIssued.length} statement(s) issued, ${summary.files.length} file(s), ${summary.held.length} payout(s) held, ${summary.failures.length} failure(s).`,
        ...summary.statementsIssued.map(
          (s) => `  ${s.number} association ${s.associationId} net ${s.netCents} cents`,
        ),
        ...summary.held.map((h) => `  held ${h.payoutId} (${h.reason})`),
        ...summary.files.map((f) => `  file ${f.messageId}: ${f.payments} transfer(s) on ${f.executionDate}`),
        ...summary.failures.map((f) => `  FAILED ${f.statementId}: ${f.error}`),
      ].join('\n');
      return {
        exitCode: failed ? 1 : 0,
        output: args.includes('--json') ? JSON.stringify({ runId: run.id, ...summary }, null, 2) : text,
      };
    },
  },
  {
    name: 'settlement:expiry',
    usage: 'settlement:expiry [--json]',
    summary: 'Run the daily expiry job now (J-30 alerts, J-15 end of distribution, expiry into credit notes)',
    async run(ctx, args) {
      const summary = await runExpiry(ctx, ctx.clock());
      const text = [
        `Expiry ${summary.today}: ${summary.alerts.length} alert(s), ${summary.distributionStopped.length} distribution stop(s), ${summary.expired.length} batch(es) expired.`,
        ...summary.expired.map(
          (e) =>
            `  ${e.batchId}: ${e.voucherCount} pass(es), ${e.amountCents} cents, ${e.creditNoteNumber ?? 'no credit note'}`,
        ),
      ].join('\n');
      return { exitCode: 0, output: args.includes('--json') ? JSON.stringify(summary, null, 2) : text };
    },
  },
];
