import type { AppContext } from '@pass/http';
import { queueRenderIfApproved } from '../batches/batch-service';
import { type BatchJobData, ISSUANCE_JOBS } from '../jobs';
import {
  type GenerationDeps,
  type GenerationOptions,
  generateBatchVouchers,
} from './generate-batch-vouchers';
import { staleGenerations } from './generation-store';

/** Attempts of one generation job before it stays failed (the sweeper re-queues stalled ones up to MAX_SWEEPS). */
export const GENERATION_ATTEMPTS = 5;
/** A generation with no progress for this long is considered abandoned by its worker. */
export const STALE_AFTER_MS = 2 * 60_000;
const MAX_ATTEMPTS_BY_SWEEPER = 20;

/** Generation dependencies from the application context. */
export function generationDeps(ctx: AppContext): GenerationDeps {
  return {
    knex: ctx.knex,
    hashKey: ctx.config.secrets.voucherHashKey,
    encryptionKey: ctx.config.secrets.voucherEncryptionKey,
    clock: ctx.clock,
    logger: ctx.logger.child({ module: 'issuance' }),
  };
}

/** Runs the generation of one batch as the job does (also used by the CLI and the demo seed). */
export async function runGeneration(ctx: AppContext, batchId: string, options: GenerationOptions = {}) {
  const outcome = await generateBatchVouchers(generationDeps(ctx), batchId, {
    ...options,
    onCompleted: async (trx, id) => {
      await queueRenderIfApproved(trx, id, ctx.clock());
      await options.onCompleted?.(trx, id);
    },
  });
  ctx.outbox.kick();
  return outcome;
}

/**
 * Queues the generation of batches whose worker died (no progress for STALE_AFTER_MS) or whose job never
 * ran. Duplicates are harmless: chunks take a row lock and resume from the committed count.
 */
export async function resumeStalledGenerations(
  ctx: AppContext,
  staleAfterMs = STALE_AFTER_MS,
): Promise<number> {
  const stale = await staleGenerations(
    ctx.knex,
    new Date(ctx.clock().getTime() - staleAfterMs),
    MAX_ATTEMPTS_BY_SWEEPER,
  );
  for (const batchId of stale) {
    await ctx.queue.enqueue(ISSUANCE_JOBS.generateVouchers, { batchId } satisfies BatchJobData);
  }
  if (stale.length > 0) ctx.logger.info({ batches: stale.length }, 'generation.resumed');
  return stale.length;
}

/** Registers the generation job and the sweeper that resumes stalled generations. */
export async function registerGenerationJobs(ctx: AppContext): Promise<void> {
  ctx.queue.register<BatchJobData>({
    name: ISSUANCE_JOBS.generateVouchers,
    attempts: GENERATION_ATTEMPTS,
    backoffMs: 2000,
    handler: async (data, job) => {
      const outcome = await runGeneration(ctx, data.batchId, {
        onProgress: (progress) => job.updateProgress({ ...progress }),
      });
      return outcome;
    },
  });
  ctx.queue.register<Record<string, never>>({
    name: ISSUANCE_JOBS.resumeGenerations,
    attempts: 1,
    handler: async () => ({ resumed: await resumeStalledGenerations(ctx) }),
  });
  await ctx.queue.schedule({
    id: 'issuance-resume-generations',
    pattern: '*/5 * * * *',
    jobName: ISSUANCE_JOBS.resumeGenerations,
  });
  // In embedded mode this process is the only worker: whatever was running when it stopped is abandoned.
  const staleAfter = ctx.queue.kind === 'in-process' ? 0 : STALE_AFTER_MS;
  await resumeStalledGenerations(ctx, staleAfter).catch((err) =>
    ctx.logger.error({ err }, 'generation.resume_failed'),
  );
}
