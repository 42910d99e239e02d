import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { NotFoundError } from '@pass/errors';
import { ApiRouter, type AppContext, idParams, pageQuerySchema } from '@pass/http';
import { enqueueInTransaction, safeJobId } from '@pass/queue';
import type { Router } from 'express';
import { FINANCE, OPERATORS } from '../shared/access';
import { z } from '../shared/openapi-zod';
import { idempotencyHeaders, idempotent, nextCursorOf, timeCursor } from '../shared/route-helpers';
import type { ClearingRun } from './clearing-run';
import { CLEARING_JOB, createManualRun } from './clearing-service';
import { findRun, listRuns } from './clearing-store';

export const runView = z
  .object({
    id: z.uuid(),
    runKey: z.string(),
    trigger: z.enum(['scheduled', 'manual']),
    associationId: z.uuid().nullable(),
    asOf: z.string(),
    manualCutoff: z.string().nullable(),
    status: z.enum(['pending', 'running', 'completed', 'failed']),
    requestedBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('SettlementRun');

export function toRunView(run: ClearingRun): z.infer<typeof runView> {
  return {
    id: run.id,
    runKey: run.runKey,
    trigger: run.trigger,
    associationId: run.associationId,
    asOf: run.asOf.toISOString(),
    manualCutoff: run.manualCutoff?.toISOString() ?? null,
    status: run.status,
    requestedBy: run.requestedBy,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    completedAt: run.completedAt?.toISOString() ?? null,
    attempts: run.attempts,
    lastError: run.lastError,
    summary: run.summary as Record<string, unknown> | null,
  };
}

const startRunBody = z
  .object({
    associationId: z.uuid().optional().openapi({ description: 'Only this association (default: all)' }),
  })
  .strict();

export function clearingRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  const tags = ['settlement'];

  api.post(
    '/settlement/runs',
    {
      summary: 'Run a clearing now: every live redemption older than the undo window, not yet on a statement',
      description:
        'Creates the run and hands it to the worker (202). Poll GET /settlement/runs/{id}. The same Idempotency-Key gives the same run.',
      tags,
      access: FINANCE,
      body: startRunBody,
      headers: idempotencyHeaders,
      response: runView,
      status: 202,
    },
    async ({ body, principal, req }) => {
      const now = ctx.clock();
      const result = await idempotent(ctx.knex, req, principal!, body, now, async (trx, key) => {
        const { run } = await createManualRun(trx, {
          runKey: `manual:${principal!.subjectId}:${key}`,
          associationId: body.associationId ?? null,
          requestedBy: principal!.userId ?? principal!.subjectId,
          asOf: now,
          undoWindowHours: ctx.config.undoWindowHours,
        });
        await enqueueInTransaction(
          trx,
          CLEARING_JOB,
          { runId: run.id },
          { jobId: safeJobId('settlement-run', run.id) },
        );
        return { status: 202, body: toRunView(run) };
      });
      ctx.outbox.kick();
      return result.body;
    },
  );

  api.get(
    '/settlement/runs',
    {
      summary: 'Clearing runs, newest first',
      tags,
      access: OPERATORS,
      query: pageQuerySchema,
      response: z.object({ items: z.array(runView), nextCursor: z.string().nullable() }),
    },
    async ({ query }) => {
      const before = timeCursor(query.cursor, 'createdAt');
      const rows = await listRuns(ctx.knex, query.limit + 1, before);
      return {
        items: rows.slice(0, query.limit).map(toRunView),
        nextCursor: nextCursorOf(rows, query.limit, (run) => [run.createdAt, run.id]),
      };
    },
  );

  api.get(
    '/settlement/runs/:id',
    {
      summary: 'A clearing run with what it did (statements, held payouts, files)',
      tags,
      access: OPERATORS,
      params: idParams,
      response: runView,
    },
    async ({ params }) => {
      const run = await findRun(ctx.knex, params.id);
      if (!run) throw new NotFoundError('run_not_found', 'No such clearing run.');
      return toRunView(run);
    },
  );
  return api.router;
}
