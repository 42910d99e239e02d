import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppContext, ServiceModule } from '@pass/http';
import express from 'express';
import { clearingRoutes } from './clearing/clearing-routes';
import { executeRun } from './clearing/clearing-runner';
import { CLEARING_JOB, ensureScheduledRun, SCHEDULED_CLEARING_JOB } from './clearing/clearing-service';
import { findRun } from './clearing/clearing-store';
import { expiryRoutes } from './expiry/expiry-routes';
import { type FunderNotice, NOTIFY_FUNDER_JOB, runExpiry } from './expiry/expiry-job';
import { settlementMigrations } from './migrations';
import { payoutRoutes } from './payouts/payout-routes';
import { reconciliationRoutes } from './reconciliation/reconciliation-routes';
import { settlementInvariants } from './reconciliation/settlement-invariants';
import { settlementCommands } from './settlement-commands';
import { statementRoutes } from './statements/statement-routes';
import { treasurerRoutes } from './treasurer/treasurer-routes';

/** The daily expiry job. */
export const EXPIRY_JOB = 'settlement.expiry';

/** Cron patterns in the business time zone: expiry first, then clearing, before the bank's morning cut-off. */
export const SETTLEMENT_SCHEDULES = [
  { id: 'settlement-expiry-daily', pattern: '30 2 * * *', jobName: EXPIRY_JOB },
  { id: 'settlement-clearing-daily', pattern: '0 3 * * *', jobName: SCHEDULED_CLEARING_JOB },
] as const;

/**
 * Settlement: clearing runs into statements (relevés) and payouts (contre-paiements), pain.001 files,
 * camt.054 bank returns, expiry into credit notes (avoirs), treasurer exports and reconciliation.
 */
export const settlementModule: ServiceModule = {
  name: 'settlement',
  migrations: settlementMigrations,
  createRouter(ctx: AppContext, openapi: OpenAPIRegistry) {
    const router = express.Router();
    router.use(clearingRoutes(ctx, openapi));
    router.use(statementRoutes(ctx, openapi));
    router.use(payoutRoutes(ctx, openapi));
    router.use(treasurerRoutes(ctx, openapi));
    router.use(expiryRoutes(ctx, openapi));
    router.use(reconciliationRoutes(ctx, openapi));
    return router;
  },
  async registerJobs(ctx: AppContext) {
    const logger = ctx.logger.child({ module: 'settlement' });
    const deps = { ...ctx, logger };
    ctx.queue.register<{ runId: string }>({
      name: CLEARING_JOB,
      attempts: 5,
      backoffMs: 30_000,
      handler: async ({ runId }) => {
        const run = await findRun(ctx.knex, runId);
        if (!run || run.status === 'completed') return run?.summary ?? null;
        return executeRun(deps, runId);
      },
    });
    ctx.queue.register({
      name: SCHEDULED_CLEARING_JOB,
      attempts: 5,
      backoffMs: 60_000,
      handler: async () => {
        const run = await ensureScheduledRun(deps, ctx.clock());
        if (run.status === 'completed') return run.summary;
        return executeRun(deps, run.id);
      },
    });
    ctx.queue.register({
      name: EXPIRY_JOB,
      attempts: 5,
      backoffMs: 60_000,
      handler: () => runExpiry(deps, ctx.clock()),
    });
    ctx.queue.register<FunderNotice>({
      name: NOTIFY_FUNDER_JOB,
      // No e-mail service exists yet: the notice is logged (and readable through the API) until one does.
      handler: async (notice) => {
        logger.info({ notice }, 'settlement.funder_notified');
      },
    });
    for (const schedule of SETTLEMENT_SCHEDULES) await ctx.queue.schedule({ ...schedule });
  },
  commands: settlementCommands,
  invariants: () => settlementInvariants(),
};
