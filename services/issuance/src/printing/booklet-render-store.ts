import type { Db } from '@pass/db';
import { rowsOf } from '../db-rows';

/** Progress of the full booklet PDF of a batch (issuance.booklet_renders). */
export interface BookletRenderRecord {
  batchId: string;
  state: 'pending' | 'running' | 'completed' | 'failed';
  rendered: number;
  total: number;
  fileName: string | null;
  bytes: number | null;
  attempts: number;
  lastError: string | null;
  requestedBy: string;
  requestedAt: Date;
  completedAt: Date | null;
}

interface DbRenderRow {
  batch_id: string;
  state: BookletRenderRecord['state'];
  rendered: number;
  total: number;
  file_name: string | null;
  bytes: string | null;
  attempts: number;
  last_error: string | null;
  requested_by: string;
  requested_at: Date;
  completed_at: Date | null;
}

/** The render record of a batch, or undefined when never requested. */
export async function getBookletRender(db: Db, batchId: string): Promise<BookletRenderRecord | undefined> {
  const row = await db<DbRenderRow>('issuance.booklet_renders').where({ batch_id: batchId }).first();
  if (!row) return undefined;
  return {
    batchId: row.batch_id,
    state: row.state,
    rendered: Number(row.rendered),
    total: Number(row.total),
    fileName: row.file_name,
    bytes: row.bytes === null ? null : Number(row.bytes),
    attempts: Number(row.attempts),
    lastError: row.last_error,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    completedAt: row.completed_at,
  };
}

/**
 * Creates (or re-arms a failed) render request; returns false when one is already pending, running or done,
 * so a render is queued once whichever of "proof approved" and "generation completed" comes last.
 */
export async function requestBookletRender(
  db: Db,
  batchId: string,
  total: number,
  by: string,
  at: Date,
): Promise<boolean> {
  const rows = await db.raw(
    `insert into issuance.booklet_renders (batch_id, state, total, requested_by, requested_at, updated_at)
     values (?, 'pending', ?, ?, ?, ?)
     on conflict (batch_id) do update
       set state = 'pending', rendered = 0, last_error = null, requested_by = excluded.requested_by,
           requested_at = excluded.requested_at, updated_at = excluded.updated_at
       where issuance.booklet_renders.state = 'failed'
     returning batch_id`,
    [batchId, total, by, at, at],
  );
  return rowsOf(rows).length > 0;
}

/** Starts an attempt; undefined when the render is already completed. */
export async function startBookletRender(db: Db, batchId: string, at: Date): Promise<boolean> {
  const updated = await db('issuance.booklet_renders')
    .where({ batch_id: batchId })
    .whereNot('state', 'completed')
    .update({
      state: 'running',
      attempts: db.raw('attempts + 1'),
      rendered: 0,
      started_at: at,
      updated_at: at,
    } as never);
  return Number(updated) > 0;
}

/** Progress while rendering. */
export async function updateBookletRender(
  db: Db,
  batchId: string,
  rendered: number,
  at: Date,
): Promise<void> {
  await db('issuance.booklet_renders').where({ batch_id: batchId }).update({ rendered, updated_at: at });
}

/** The PDF is complete and in place. */
export async function completeBookletRender(
  db: Db,
  batchId: string,
  result: { fileName: string; bytes: number; rendered: number },
  at: Date,
): Promise<void> {
  await db('issuance.booklet_renders').where({ batch_id: batchId }).update({
    state: 'completed',
    file_name: result.fileName,
    bytes: result.bytes,
    rendered: result.rendered,
    completed_at: at,
    updated_at: at,
    last_error: null,
  });
}

/** A failed attempt (the queue may retry). */
export async function failBookletRender(db: Db, batchId: string, error: string, at: Date): Promise<void> {
  await db('issuance.booklet_renders')
    .where({ batch_id: batchId })
    .whereNot('state', 'completed')
    .update({ state: 'failed', last_error: error.slice(0, 500), updated_at: at });
}
