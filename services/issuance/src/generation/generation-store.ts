import type { Db } from '@pass/db';
import type { GenerationRecord } from './generation-progress';

interface DbGenerationRow {
  batch_id: string;
  state: GenerationRecord['state'];
  total: number;
  generated: number;
  attempts: number;
  run_started_at: Date | null;
  run_start_count: number | null;
  last_error: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
}

function fromRow(row: DbGenerationRow): GenerationRecord {
  return {
    batchId: row.batch_id,
    state: row.state,
    total: Number(row.total),
    generated: Number(row.generated),
    attempts: Number(row.attempts),
    runStartedAt: row.run_started_at,
    runStartCount: row.run_start_count === null ? null : Number(row.run_start_count),
    lastError: row.last_error,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    updatedAt: row.updated_at,
  };
}

/** Creates the progress row of a batch (at submission). */
export async function insertGeneration(db: Db, batchId: string, total: number, now: Date): Promise<void> {
  await db('issuance.generations').insert({
    batch_id: batchId,
    state: 'pending',
    total,
    generated: 0,
    updated_at: now,
  });
}

/** The progress row of a batch, or undefined before submission. */
export async function getGeneration(db: Db, batchId: string): Promise<GenerationRecord | undefined> {
  const row = await db<DbGenerationRow>('issuance.generations').where({ batch_id: batchId }).first();
  return row ? fromRow(row) : undefined;
}

/** Starts an attempt: running, attempts + 1, rate measured from the current count. Undefined when done. */
export async function startGenerationAttempt(
  db: Db,
  batchId: string,
  now: Date,
): Promise<GenerationRecord | undefined> {
  const [row] = await db<DbGenerationRow>('issuance.generations')
    .where({ batch_id: batchId })
    .whereNot('state', 'completed')
    .update({
      state: 'running',
      attempts: db.raw('attempts + 1'),
      run_started_at: now,
      run_start_count: db.raw('generated'),
      started_at: db.raw('coalesce(started_at, ?)', [now]),
      last_error: null,
      updated_at: now,
    } as never)
    .returning<DbGenerationRow[]>('*');
  return row ? fromRow(row) : undefined;
}

/** Records a failed attempt (the queue may still retry it). */
export async function failGenerationAttempt(
  db: Db,
  batchId: string,
  error: string,
  now: Date,
): Promise<void> {
  await db('issuance.generations')
    .where({ batch_id: batchId })
    .whereNot('state', 'completed')
    .update({ state: 'failed', last_error: error.slice(0, 500), updated_at: now });
}

/** Marks the generation completed; false when it already was (so completion is recorded once). */
export async function completeGeneration(db: Db, batchId: string, now: Date): Promise<boolean> {
  const updated = await db('issuance.generations')
    .where({ batch_id: batchId })
    .whereNot('state', 'completed')
    .whereRaw('generated = total')
    .update({ state: 'completed', completed_at: now, updated_at: now });
  return Number(updated) > 0;
}

/** Batches whose generation stalled (no progress since `staleBefore`) or was never picked up. */
export async function staleGenerations(db: Db, staleBefore: Date, maxAttempts: number): Promise<string[]> {
  const rows = await db('issuance.generations')
    .whereIn('state', ['pending', 'running', 'failed'])
    .andWhere('updated_at', '<', staleBefore)
    .andWhere('attempts', '<', maxAttempts)
    .select<{ batch_id: string }[]>('batch_id');
  return rows.map((row) => row.batch_id);
}
