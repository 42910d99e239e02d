import type { Logger } from '@pass/logger';
import { recordVoucherEvents } from '@pass/vouchers';
import type { Knex } from 'knex';
import { decryptBatchSeed } from './batch-code-seed';
import {
  type ChunkWriter,
  type GenerationFaults,
  isPglite,
  PgliteChunkWriter,
  PostgresChunkWriter,
} from './chunk-writers';
import {
  completeGeneration,
  failGenerationAttempt,
  getGeneration,
  startGenerationAttempt,
} from './generation-store';
import { createLookupHasher } from './lookup-hasher';
import { inlineTupleProducer, type TupleProducer, workerTupleProducer } from './tuple-producer';

/** What generation needs from the application. */
export interface GenerationDeps {
  knex: Knex;
  /** VOUCHER_HASH_KEY and VOUCHER_ENCRYPTION_KEY (32 bytes each). */
  hashKey: Buffer;
  encryptionKey: Buffer;
  clock: () => Date;
  logger?: Logger;
}

export interface GenerationOptions {
  /** Passes per transaction: 50,000 on PostgreSQL (one COPY each), 2,000 on PGlite by default. */
  chunkSize?: number;
  onProgress?(progress: { generated: number; total: number }): Promise<void> | void;
  /** Called once generation has just completed, inside its transaction (e.g. to queue the rendering). */
  onCompleted?(trx: Knex.Transaction, batchId: string): Promise<void>;
  faults?: GenerationFaults;
  /** Encode rows in a worker thread (default: on PostgreSQL from WORKER_THRESHOLD passes left). */
  worker?: boolean;
  /** Who the batch event names (`job:issuance.generate_vouchers` by default). */
  actor?: string;
}

export type GenerationOutcome = { state: 'completed'; generated: number; alreadyDone: boolean };

/** Default passes per chunk for each database. */
export const DEFAULT_CHUNK = { postgres: 50_000, pglite: 2_000 } as const;
/** From this many passes left, rows are encoded in a worker thread (starting one costs ~0.1-0.5 s). */
export const WORKER_THRESHOLD = 50_000;

/**
 * Generates the passes of a submitted batch, resuming after whatever a previous attempt committed. Safe to
 * run twice at once and to retry after a crash at any point (see ChunkWriter). Throws after recording the
 * error; the job queue retries.
 */
export async function generateBatchVouchers(
  deps: GenerationDeps,
  batchId: string,
  options: GenerationOptions = {},
): Promise<GenerationOutcome> {
  const { knex } = deps;
  const existing = await getGeneration(knex, batchId);
  if (!existing) throw new Error(`batch ${batchId} has no generation to run (not submitted)`);
  if (existing.state === 'completed')
    return { state: 'completed', generated: existing.generated, alreadyDone: true };

  const order = await knex('issuance.orders')
    .where({ batch_id: batchId })
    .first<{ code_seed: Buffer } | undefined>('code_seed');
  if (!order) throw new Error(`batch ${batchId} has no order`);
  const seed = decryptBatchSeed(Buffer.from(order.code_seed), deps.encryptionKey, batchId);
  const hasher = createLookupHasher(deps.hashKey);
  const embedded = isPglite(knex);
  const writer: ChunkWriter = embedded
    ? new PgliteChunkWriter(knex, options.faults)
    : new PostgresChunkWriter(knex, options.faults);
  const chunkSize = options.chunkSize ?? (embedded ? DEFAULT_CHUNK.pglite : DEFAULT_CHUNK.postgres);

  const started = await startGenerationAttempt(knex, batchId, deps.clock());
  if (!started) return { state: 'completed', generated: existing.total, alreadyDone: true };
  const source = { batchId, seed, hashKey: deps.hashKey };
  const useWorker = options.worker ?? (!embedded && started.total - started.generated >= WORKER_THRESHOLD);
  const producer: TupleProducer = useWorker ? workerTupleProducer(source) : inlineTupleProducer(source);
  deps.logger?.info(
    { batchId, generated: started.generated, total: started.total, attempt: started.attempts },
    'generation.started',
  );
  try {
    let progress = { generated: started.generated, total: started.total };
    while (progress.generated < progress.total) {
      progress = await writer.writeNextChunk({ batchId, seed, hasher, producer }, chunkSize, deps.clock());
      await options.onProgress?.(progress);
    }
    const justCompleted = await knex.transaction(async (trx) => {
      // Each chunk checked its own row count against its serial range, and serials are unique per batch:
      // with the counter at total, serials 1 and total at the ends of the index mean no gap, no duplicate,
      // nothing beyond (two index probes instead of counting a million rows).
      const ends = await trx('vouchers.vouchers')
        .where({ batch_id: batchId })
        .first<{ min: number | null; max: number | null }>(
          trx.raw('min(serial) as min'),
          trx.raw('max(serial) as max'),
        );
      if (Number(ends?.min) !== 1 || Number(ends?.max) !== progress.total) {
        throw new Error(
          `batch ${batchId}: serials ${ends?.min}..${ends?.max} stored for 1..${progress.total}`,
        );
      }
      const now = deps.clock();
      if (!(await completeGeneration(trx, batchId, now))) return false;
      await recordVoucherEvents(trx, [
        {
          batchId,
          kind: 'batch.generated',
          actor: options.actor ?? 'job:issuance.generate_vouchers',
          at: now,
          details: { passes: progress.total, attempts: started.attempts },
        },
      ]);
      await options.onCompleted?.(trx, batchId);
      return true;
    });
    await producer.close();
    deps.logger?.info({ batchId, total: progress.total }, 'generation.completed');
    return { state: 'completed', generated: progress.total, alreadyDone: !justCompleted };
  } catch (error) {
    await producer.close().catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    deps.logger?.warn({ err: error, batchId }, 'generation.failed');
    await failGenerationAttempt(knex, batchId, message, deps.clock()).catch(() => {});
    throw error;
  }
}
