import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Principal } from '@pass/auth';
import { isOperator } from '@pass/auth';
import { NotFoundError } from '@pass/errors';
import { ApiRouter, type AppContext, idParams, pageQuerySchema } from '@pass/http';
import { getBatch } from '@pass/vouchers';
import type { Request, Router } from 'express';
import { FINANCE, funderScope, OPERATORS } from '../shared/access';
import { rowsOf, toDate, toJson } from '../shared/db-values';
import { moneyJson } from '../shared/money-format';
import { z } from '../shared/openapi-zod';
import { idempotencyHeaders, idempotent, nextCursorOf, timeCursor } from '../shared/route-helpers';
import {
  CREDIT_NOTE_STATUS_LABELS,
  type CreditNote,
  type CreditNoteSettlement,
  type CreditNoteStatus,
  findCreditNote,
  listCreditNotes,
  renderCreditNotePdf,
  settleCreditNote,
} from './credit-notes';
import { runExpiry } from './expiry-job';

const creditNoteView = z
  .object({
    id: z.uuid(),
    number: z.string(),
    funderId: z.uuid(),
    funderName: z.string(),
    batchId: z.uuid(),
    batchReference: z.string(),
    voucherCount: z.number().int(),
    amount: z.object({ amount: z.string(), currency: z.literal('EUR') }),
    issueDate: z.string(),
    status: z.enum(['issued', 'refunded', 'used']),
    statusLabel: z.string(),
    settledAt: z.string().nullable(),
    refundReference: z.string().nullable(),
    usedForReference: z.string().nullable(),
  })
  .openapi('CreditNote');

function toCreditNoteView(note: CreditNote): z.infer<typeof creditNoteView> {
  return {
    id: note.id,
    number: note.number,
    funderId: note.funderId,
    funderName: note.funder.name,
    batchId: note.batchId,
    batchReference: note.batchReference,
    voucherCount: note.voucherCount,
    amount: moneyJson(note.amountCents),
    issueDate: note.issueDate,
    status: note.status,
    statusLabel: CREDIT_NOTE_STATUS_LABELS[note.status],
    settledAt: note.settledAt?.toISOString() ?? null,
    refundReference: note.refundReference,
    usedForReference: note.usedForReference,
  };
}

async function visibleCreditNote(ctx: AppContext, principal: Principal, id: string): Promise<CreditNote> {
  const note = await findCreditNote(ctx.knex, id);
  const scope = funderScope(principal, undefined);
  if (!note || (scope && note.funderId !== scope))
    throw new NotFoundError('credit_note_not_found', 'No such credit note.');
  return note;
}

const STATUSES = ['issued', 'refunded', 'used'] as const satisfies readonly CreditNoteStatus[];

export function expiryRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  const tags = ['settlement'];
  const readers = [...OPERATORS, 'funder_manager'] as const;

  /** Refunds or uses a credit note once per Idempotency-Key. */
  async function settleIdempotently(
    req: Request,
    principal: Principal,
    id: string,
    body: Record<string, string>,
    settlement: CreditNoteSettlement,
  ) {
    const result = await idempotent(ctx.knex, req, principal, { id, ...body }, ctx.clock(), async (trx) => {
      const note = await settleCreditNote({ ...ctx, knex: trx }, id, settlement, principal);
      return { status: 200, body: toCreditNoteView(note) };
    });
    return result.body;
  }

  api.get(
    '/settlement/credit-notes',
    {
      summary: 'Credit notes (avoirs) for expired passes; a funder sees its own',
      tags,
      access: readers,
      query: pageQuerySchema.extend({ funderId: z.uuid().optional(), status: z.enum(STATUSES).optional() }),
      response: z.object({ items: z.array(creditNoteView), nextCursor: z.string().nullable() }),
    },
    async ({ query, principal }) => {
      const funderId = funderScope(principal!, query.funderId);
      const cursor = timeCursor(query.cursor, 'issuedAt');
      const rows = await listCreditNotes(ctx.knex, {
        funderId,
        status: query.status,
        before: cursor,
        limit: query.limit + 1,
      });
      return {
        items: rows.slice(0, query.limit).map(toCreditNoteView),
        nextCursor: nextCursorOf(rows, query.limit, (row) => [row.issuedAt, row.id]),
      };
    },
  );

  api.get(
    '/settlement/credit-notes/:id',
    { summary: 'A credit note', tags, access: readers, params: idParams, response: creditNoteView },
    async ({ params, principal }) => toCreditNoteView(await visibleCreditNote(ctx, principal!, params.id)),
  );

  api.get(
    '/settlement/credit-notes/:id/pdf',
    {
      summary: 'The credit note as a PDF',
      tags,
      access: readers,
      params: idParams,
      produces: { 'application/pdf': 'Avoir' },
    },
    async ({ params, principal, res }) => {
      const note = await visibleCreditNote(ctx, principal!, params.id);
      const batch = await getBatch(ctx.knex, note.batchId);
      const pdf = await renderCreditNotePdf(note, ctx.config, batch);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="avoir-${note.number}.pdf"`);
      res.send(pdf);
      return undefined;
    },
  );

  api.post(
    '/settlement/credit-notes/:id/refund',
    {
      summary: 'Record the refund of a credit note by transfer to the funder',
      tags,
      access: FINANCE,
      params: idParams,
      headers: idempotencyHeaders,
      body: z.object({ bankReference: z.string().trim().min(1).max(140) }).strict(),
      response: creditNoteView,
    },
    ({ params, body, principal, req }) =>
      settleIdempotently(req, principal!, params.id, body, {
        kind: 'refund',
        bankReference: body.bankReference,
      }),
  );

  api.post(
    '/settlement/credit-notes/:id/use',
    {
      summary: 'Use a credit note against a new order (its amount becomes prepaid funding of that order)',
      description:
        'The funder (its own credit notes) or operator finance. `orderReference` names the order (a batch id or its LOT- reference); the issuance service reads settlement.credit_notes.used_for_reference to accept that funding.',
      tags,
      access: [...FINANCE, 'funder_manager'],
      params: idParams,
      headers: idempotencyHeaders,
      body: z.object({ orderReference: z.string().trim().min(1).max(140) }).strict(),
      response: creditNoteView,
    },
    async ({ params, body, principal, req }) => {
      if (!isOperator(principal!)) await visibleCreditNote(ctx, principal!, params.id);
      return settleIdempotently(req, principal!, params.id, body, {
        kind: 'use',
        orderReference: body.orderReference,
      });
    },
  );

  api.get(
    '/settlement/expiry-notices',
    {
      summary: 'J-30 alerts (with their counts) and J-15 ends of distribution sent to funders',
      tags,
      access: readers,
      query: pageQuerySchema.extend({ funderId: z.uuid().optional() }),
      response: z.object({
        items: z.array(z.record(z.string(), z.unknown())),
        nextCursor: z.string().nullable(),
      }),
    },
    async ({ query, principal }) => {
      const funderId = funderScope(principal!, query.funderId);
      const before = timeCursor(query.cursor, 'createdAt');
      const rows = rowsOf<{
        batch_id: string;
        funder_id: string;
        alerted_at: Date | string | null;
        alert_counts: unknown;
        distribution_stopped_at: Date | string | null;
        sort_at: Date | string;
      }>(
        await ctx.knex.raw(
          `select n.batch_id, n.funder_id, n.alerted_at, n.alert_counts, n.distribution_stopped_at,
                  coalesce(n.alerted_at, n.distribution_stopped_at) as sort_at
             from settlement.expiry_notices n
            where (?::uuid is null or n.funder_id = ?::uuid)
              and (?::timestamptz is null or (coalesce(n.alerted_at, n.distribution_stopped_at), n.batch_id) < (?::timestamptz, ?::uuid))
            order by sort_at desc, n.batch_id desc limit ?`,
          [
            funderId ?? null,
            funderId ?? null,
            before?.createdAt ?? null,
            before?.createdAt ?? null,
            before?.id ?? null,
            query.limit + 1,
          ],
        ),
      );
      return {
        items: rows.slice(0, query.limit).map((row) => ({
          batchId: row.batch_id,
          funderId: row.funder_id,
          alertedAt: row.alerted_at ? toDate(row.alerted_at).toISOString() : null,
          counts: row.alert_counts ? toJson<Record<string, number>>(row.alert_counts) : null,
          distributionStoppedAt: row.distribution_stopped_at
            ? toDate(row.distribution_stopped_at).toISOString()
            : null,
        })),
        nextCursor: nextCursorOf(rows, query.limit, (row) => [toDate(row.sort_at), row.batch_id]),
      };
    },
  );

  api.post(
    '/settlement/expiry/run',
    {
      summary: 'Run the daily expiry job now (alerts, end of distribution, expiry into credit notes)',
      tags,
      access: FINANCE,
      response: z.record(z.string(), z.unknown()),
    },
    async () => runExpiry(ctx, ctx.clock()),
  );
  return api.router;
}
