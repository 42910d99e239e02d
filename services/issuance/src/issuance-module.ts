import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppContext, CliCommand, InvariantCheck, ServiceModule } from '@pass/http';
import { accounts, balances } from '@pass/ledger';
import { fundersWithBatches, usableFaceValueByFunder } from '@pass/vouchers';
import express from 'express';
import { batchRoutes } from './batches/batch-routes';
import { BatchService } from './batches/batch-service';
import { seedIssuanceDemo } from './demo/seed-issuance-demo';
import { distributionRoutes } from './distribution/distribution-routes';
import { fundingRoutes } from './funding/funding-routes';
import { registerGenerationJobs, runGeneration } from './generation/generation-jobs';
import { issuanceMigrations } from './migrations';
import { printingRoutes } from './printing/printing-routes';
import { registerPrintingJobs } from './printing/printing-jobs';
import { publicRoutes } from './public-check/public-routes';
import { cancellationRoutes } from './revocation/cancellation-routes';

/** Per funder: the ledger's vouchers_outstanding equals the face value of the passes still usable. */
export const outstandingInvariant: InvariantCheck = {
  name: 'issuance.vouchers_outstanding_matches_usable_passes',
  run: async (knex) => {
    const usable = await usableFaceValueByFunder(knex);
    const funders = [...new Set([...(await fundersWithBatches(knex)), ...usable.keys()])];
    const ledger = await balances(
      knex,
      funders.map((funderId) => accounts.funderVouchersOutstanding(funderId)),
    );
    const problems = funders.flatMap((funderId) => {
      const expected = usable.get(funderId) ?? 0n;
      const actual = ledger.get(accounts.funderVouchersOutstanding(funderId)) ?? 0n;
      return expected === actual
        ? []
        : [
            {
              message: `funder ${funderId}: vouchers_outstanding is ${actual} cents, usable passes are worth ${expected} cents`,
              rows: [{ funderId, ledgerCents: actual.toString(), usableCents: expected.toString() }],
            },
          ];
    });
    return {
      ok: problems.length === 0,
      summary: `${funders.length} funder(s) checked, ${problems.length} mismatch(es)`,
      problems,
    };
  },
};

const generateCommand: CliCommand = {
  name: 'issuance:generate',
  summary: 'Generate (or finish generating) the passes of a submitted batch in the foreground',
  usage: 'issuance:generate <batch-id>',
  run: async (ctx, args) => {
    const batchId = args.find((arg) => !arg.startsWith('--'));
    if (!batchId) return { exitCode: 2, output: 'Usage: issuance:generate <batch-id>' };
    const started = Date.now();
    const outcome = await runGeneration(ctx, batchId, {
      onProgress: ({ generated, total }) => {
        process.stderr.write(`\r${generated}/${total}`);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    return {
      exitCode: 0,
      output: args.includes('--json')
        ? JSON.stringify({ ...outcome, seconds })
        : `\n${outcome.generated} passes ${outcome.alreadyDone ? 'were already generated' : `generated in ${seconds.toFixed(1)} s`}.`,
    };
  },
};

/** Issuance: orders and batches, funding, generation, booklets, distribution, revocation, public check. */
export const issuanceModule: ServiceModule = {
  name: 'issuance',
  migrations: issuanceMigrations,
  createRouter(ctx: AppContext, openapi: OpenAPIRegistry) {
    const router = express.Router();
    const batches = new BatchService(ctx);
    router.use(publicRoutes(ctx, openapi));
    router.use(batchRoutes(ctx, openapi, batches));
    router.use(fundingRoutes(ctx, openapi));
    router.use(printingRoutes(ctx, openapi));
    router.use(distributionRoutes(ctx, openapi));
    router.use(cancellationRoutes(ctx, openapi));
    return router;
  },
  async registerJobs(ctx: AppContext) {
    registerPrintingJobs(ctx);
    await registerGenerationJobs(ctx);
  },
  commands: [generateCommand],
  invariants: () => [outstandingInvariant],
  seedDemo: seedIssuanceDemo,
};
