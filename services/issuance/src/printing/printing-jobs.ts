import type { AppContext } from '@pass/http';
import { type BatchJobData, ISSUANCE_JOBS } from '../jobs';
import { PrintingService } from './printing-service';

/** Registers the job that renders the full booklet PDF of a batch. */
export function registerPrintingJobs(ctx: AppContext): void {
  const printing = new PrintingService(ctx);
  ctx.queue.register<BatchJobData>({
    name: ISSUANCE_JOBS.renderBooklets,
    attempts: 3,
    backoffMs: 5000,
    handler: (data, job) =>
      printing.renderBooklets(data.batchId, (rendered, total) => job.updateProgress({ rendered, total })),
  });
}
