import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppContext, ServiceModule } from '@pass/http';
import express from 'express';
import { scanForFraud } from './fraud/fraud-scan';
import { fraudRoutes } from './fraud/fraud-routes';
import { FraudFlagService } from './fraud/fraud-service';
import { PostgresFraudFlagStore } from './fraud/postgres-fraud-flag-store';
import { funderDashboardRoutes } from './funder-dashboard/dashboard-routes';
import { FunderDashboardService } from './funder-dashboard/dashboard-service';
import { redemptionInvariants } from './invariants/redemption-invariants';
import { PostgresFailedLookupStore } from './lookups/postgres-failed-lookup-store';
import { redemptionMigrations } from './migrations';
import { PostgresRedemptionStore } from './redemptions/postgres-redemption-store';
import { redemptionRoutes } from './redemptions/redemption-routes';
import { RedemptionService } from './redemptions/redemption-service';
import { voucherKeyringOf } from './shared/voucher-keyring';

/** Job names of this module. */
export const REDEMPTION_JOBS = Object.freeze({ fraudScan: 'redemption.fraud-scan' });

/** The redemption service of a context (one per process: it holds the parsed keyring). */
export function createRedemptionService(ctx: AppContext): RedemptionService {
  return new RedemptionService({
    knex: ctx.knex,
    store: new PostgresRedemptionStore(),
    flags: new PostgresFraudFlagStore(),
    lookups: new PostgresFailedLookupStore(),
    keyring: voucherKeyringOf(ctx.config),
    hashKey: ctx.config.secrets.voucherHashKey,
    undoWindowHours: ctx.config.undoWindowHours,
    timeZone: ctx.config.businessTimezone,
    clock: ctx.clock,
    logger: ctx.logger.child({ module: 'redemption' }),
  });
}

/** Runs the fraud scan once and purges old failed-lookup counters (the job's body, callable from tests). */
export async function runFraudScan(ctx: AppContext, now = ctx.clock()) {
  const result = await scanForFraud(ctx.knex, new PostgresFraudFlagStore(), now, ctx.config.businessTimezone);
  const purged = await new PostgresFailedLookupStore().purge(ctx.knex, now);
  return { ...result, purgedCounters: purged };
}

/** Check, redeem and undo passes; failed-lookup rate limits; fraud flags for operator review. */
export const redemptionModule: ServiceModule = {
  name: 'redemption',
  migrations: redemptionMigrations,
  createRouter(ctx: AppContext, openapi: OpenAPIRegistry) {
    const router = express.Router();
    router.use(redemptionRoutes(createRedemptionService(ctx), openapi).router);
    router.use(
      fraudRoutes(new FraudFlagService(ctx.knex, new PostgresFraudFlagStore(), ctx.clock), openapi).router,
    );
    router.use(
      funderDashboardRoutes(
        new FunderDashboardService(ctx.knex, ctx.clock, ctx.config.businessTimezone),
        openapi,
      ).router,
    );
    return router;
  },
  async registerJobs(ctx: AppContext) {
    const logger = ctx.logger.child({ module: 'redemption' });
    ctx.queue.register({
      name: REDEMPTION_JOBS.fraudScan,
      attempts: 1,
      handler: async () => {
        const result = await runFraudScan(ctx);
        if (result.flags > 0) logger.info(result, 'redemption.fraud_scan');
        return result;
      },
    });
    await ctx.queue.schedule({
      id: 'redemption-fraud-scan',
      pattern: '* * * * *',
      jobName: REDEMPTION_JOBS.fraudScan,
    });
  },
  invariants: () => redemptionInvariants(),
};
