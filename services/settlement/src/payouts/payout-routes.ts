import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Db } from '@pass/db';
import { NotFoundError } from '@pass/errors';
import { ApiRouter, type AppContext, idParams, pageQuerySchema } from '@pass/http';
import express, { type Router } from 'express';
import { type BankImportReport, confirmPayoutByHand, importCamt054 } from '../bank-returns/bank-returns';
import { endToEndIdFromPayoutId } from '../sepa';
import { associationScope, FINANCE, OPERATORS } from '../shared/access';
import { rowsOf, toDate, toJson } from '../shared/db-values';
import { moneyJson } from '../shared/money-format';
import { z } from '../shared/openapi-zod';
import { idempotencyHeaders, idempotent, nextCursorOf, timeCursor } from '../shared/route-helpers';
import { type PayoutRow, listPayouts } from '../treasurer/treasurer-store';
import { PAYOUT_STATUS_LABELS, PAYOUT_STATUSES, type PayoutStatus } from './payout';
import { HOLD_REASON_LABELS, type HoldReason } from './payout-account';

const money = z.object({ amount: z.string(), currency: z.literal('EUR') });

export const payoutView = z
  .object({
    id: z.uuid(),
    endToEndId: z.string(),
    associationId: z.uuid(),
    associationName: z.string(),
    statementId: z.uuid(),
    statementNumber: z.string(),
    amount: money,
    status: z.enum(['held', 'created', 'exported', 'paid', 'rejected']),
    statusLabel: z.string(),
    holdReason: z.string().nullable(),
    holdReasonLabel: z.string().nullable(),
    executionDate: z.string().nullable(),
    paidOn: z.string().nullable(),
    rejectedAt: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    remittance: z.string().nullable(),
    replacesPayoutId: z.uuid().nullable(),
    fileId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .openapi('Payout');

export function toPayoutView(payout: PayoutRow): z.infer<typeof payoutView> {
  return {
    id: payout.id,
    endToEndId: endToEndIdFromPayoutId(payout.id),
    associationId: payout.associationId,
    associationName: payout.associationName,
    statementId: payout.statementId,
    statementNumber: payout.statementNumber,
    amount: moneyJson(payout.amountCents),
    status: payout.status,
    statusLabel: PAYOUT_STATUS_LABELS[payout.status],
    holdReason: payout.holdReason,
    holdReasonLabel: payout.holdReason
      ? (HOLD_REASON_LABELS[payout.holdReason as HoldReason] ?? payout.holdReason)
      : null,
    executionDate: payout.executionDate,
    paidOn: payout.paidOn,
    rejectedAt: payout.rejectedAt?.toISOString() ?? null,
    rejectionReason: payout.rejectionReason,
    remittance: payout.remittance,
    replacesPayoutId: payout.replacesPayoutId,
    fileId: payout.fileId,
    createdAt: payout.createdAt.toISOString(),
  };
}

const payoutListQuery = pageQuerySchema.extend({
  associationId: z.uuid().optional(),
  status: z.enum(PAYOUT_STATUSES as [PayoutStatus, ...PayoutStatus[]]).optional(),
});

const confirmBody = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('paid'), paidOn: z.iso.date() }).strict(),
  z
    .object({
      outcome: z.literal('rejected'),
      reasonCode: z.string().regex(/^[A-Z0-9]{4}$/, 'an ISO return reason such as AC01'),
      info: z.string().max(500).optional(),
    })
    .strict(),
]);

const reportView = z.record(z.string(), z.unknown()).openapi('BankImportReport');

export function payoutRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  const tags = ['settlement'];

  api.get(
    '/settlement/payouts',
    {
      summary: 'Payouts (contre-paiements) with their bank status; a treasurer sees their association’s',
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      query: payoutListQuery,
      response: z.object({ items: z.array(payoutView), nextCursor: z.string().nullable() }),
    },
    async ({ query, principal }) => {
      const associationId = associationScope(principal!, query.associationId);
      const rows = await listPayouts(ctx.knex, {
        associationId,
        status: query.status,
        before: timeCursor(query.cursor, 'createdAt'),
        limit: query.limit + 1,
      });
      return {
        items: rows.slice(0, query.limit).map(toPayoutView),
        nextCursor: nextCursorOf(rows, query.limit, (row) => [row.createdAt, row.id]),
      };
    },
  );

  api.get(
    '/settlement/payouts/:id',
    {
      summary: 'A payout with its bank status',
      tags,
      access: [...OPERATORS, 'association_treasurer'],
      params: idParams,
      response: payoutView,
    },
    async ({ params, principal }) => {
      const row = await findPayoutRow(ctx.knex, params.id);
      const scope = associationScope(principal!, undefined);
      if (!row || (scope && row.associationId !== scope))
        throw new NotFoundError('payout_not_found', 'No such payout.');
      return toPayoutView(row);
    },
  );

  api.post(
    '/settlement/payouts/:id/confirm',
    {
      summary: 'Confirm by hand what the bank said: paid, or rejected with its ISO reason (AC01...)',
      description:
        'A rejection puts the amount back on the association’s payable (reversal of the payout entry) and flags the association; the next run pays again once the flag is cleared.',
      tags,
      access: FINANCE,
      params: idParams,
      body: confirmBody,
      headers: idempotencyHeaders,
      response: payoutView,
    },
    async ({ params, body, principal, req }) => {
      const result = await idempotent(
        ctx.knex,
        req,
        principal!,
        { id: params.id, ...body },
        ctx.clock(),
        async (trx) => {
          await confirmPayoutByHand({ ...ctx, knex: trx }, params.id, body, principal!);
          const row = await findPayoutRow(trx, params.id);
          return { status: 200, body: toPayoutView(row!) };
        },
      );
      return result.body;
    },
  );

  api.get(
    '/settlement/payout-files',
    {
      summary: 'pain.001 credit-transfer files, newest first',
      tags,
      access: FINANCE,
      query: pageQuerySchema,
      response: z.object({
        items: z.array(
          z.object({
            id: z.uuid(),
            messageId: z.string(),
            executionDate: z.string(),
            paymentCount: z.number().int(),
            controlSum: money,
            createdAt: z.string(),
          }),
        ),
        nextCursor: z.string().nullable(),
      }),
    },
    async ({ query }) => {
      const before = timeCursor(query.cursor, 'createdAt');
      const rows = rowsOf<{
        id: string;
        message_id: string;
        execution_date: string;
        payment_count: number;
        control_sum_cents: string;
        created_at: Date | string;
      }>(
        await ctx.knex.raw(
          `select id, message_id, execution_date::text as execution_date, payment_count,
                  control_sum_cents::text as control_sum_cents, created_at
             from settlement.payout_files
            where (?::timestamptz is null or (created_at, id) < (?::timestamptz, ?::uuid))
            order by created_at desc, id desc limit ?`,
          [before?.createdAt ?? null, before?.createdAt ?? null, before?.id ?? null, query.limit + 1],
        ),
      );
      const items = rows.map((row) => ({
        id: row.id,
        messageId: row.message_id,
        executionDate: row.execution_date,
        paymentCount: Number(row.payment_count),
        controlSum: moneyJson(BigInt(row.control_sum_cents)),
        createdAt: toDate(row.created_at).toISOString(),
      }));
      return {
        items: items.slice(0, query.limit),
        nextCursor: nextCursorOf(rows, query.limit, (row) => [toDate(row.created_at), row.id]),
      };
    },
  );

  api.get(
    '/settlement/payout-files/:id',
    {
      summary: 'Download a pain.001.001.09 file, to hand to the operator’s bank',
      tags,
      access: FINANCE,
      params: idParams,
      produces: { 'application/xml': 'pain.001.001.09' },
    },
    async ({ params, res }) => {
      const file = await ctx
        .knex('settlement.payout_files')
        .where({ id: params.id })
        .first<{ message_id: string; xml: string } | undefined>('message_id', 'xml');
      if (!file) throw new NotFoundError('payout_file_not_found', 'No such payout file.');
      res.setHeader('Content-Type', 'application/xml; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${file.message_id}.xml"`);
      res.send(file.xml);
      return undefined;
    },
  );

  api.post(
    '/settlement/bank-returns',
    {
      summary: 'Import a camt.054 bank notification (XML body): matched lines mark payouts paid or rejected',
      description:
        'Send the file as `application/xml`. Lines are matched by EndToEndId (the payout id). The bank message id makes a second import of the same file return the first report (`alreadyImported: true`).',
      tags,
      access: FINANCE,
      before: [express.text({ type: ['application/xml', 'text/xml'], limit: '20mb' })],
      response: reportView,
    },
    async ({ principal, req }) => {
      const xml = typeof req.body === 'string' ? req.body : '';
      return importCamt054(ctx, xml, principal!.userId ?? principal!.subjectId);
    },
  );

  api.get(
    '/settlement/bank-returns',
    {
      summary: 'Imported bank files, newest first, with their counts',
      tags,
      access: FINANCE,
      query: pageQuerySchema,
      response: z.object({ items: z.array(reportView), nextCursor: z.string().nullable() }),
    },
    async ({ query }) => {
      const before = timeCursor(query.cursor, 'createdAt');
      const rows = rowsOf<{ id: string; report: unknown; imported_at: Date | string }>(
        await ctx.knex.raw(
          `select id, report, imported_at from settlement.bank_imports
            where (?::timestamptz is null or (imported_at, id) < (?::timestamptz, ?::uuid))
            order by imported_at desc, id desc limit ?`,
          [before?.createdAt ?? null, before?.createdAt ?? null, before?.id ?? null, query.limit + 1],
        ),
      );
      return {
        items: rows.slice(0, query.limit).map((row) => {
          const { lines: _lines, ...rest } = toJson<BankImportReport>(row.report);
          return { ...rest, importedAt: toDate(row.imported_at).toISOString() };
        }),
        nextCursor: nextCursorOf(rows, query.limit, (row) => [toDate(row.imported_at), row.id]),
      };
    },
  );

  api.get(
    '/settlement/bank-returns/unmatched',
    {
      summary: 'Bank lines no payout matched, for a person to look at',
      tags,
      access: FINANCE,
      response: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
    },
    async () => {
      const rows = await ctx
        .knex('settlement.bank_import_lines as l')
        .join('settlement.bank_imports as i', 'i.id', 'l.import_id')
        .where('l.outcome', 'unmatched')
        .orderBy([{ column: 'i.imported_at', order: 'desc' }, { column: 'l.line_no' }])
        .limit(1000)
        .select(
          'i.id as importId',
          'i.message_id as messageId',
          'l.line_no as lineNo',
          'l.end_to_end_id as endToEndId',
          'l.payout_id as payoutId',
          'l.amount',
          'l.currency',
          'l.credit_debit as creditDebit',
          'l.status',
          'l.reason_code as reasonCode',
          'l.detail',
        );
      return { items: rows };
    },
  );
  return api.router;
}

/** One payout with its statement, or undefined. */
async function findPayoutRow(db: Db, id: string): Promise<PayoutRow | undefined> {
  const payout = await db('settlement.payouts')
    .where({ id })
    .first<{ statement_id: string; association_id: string } | undefined>('statement_id', 'association_id');
  if (!payout) return undefined;
  const rows = await listPayouts(db, {
    associationId: payout.association_id,
    statementId: payout.statement_id,
    limit: 1000,
  });
  return rows.find((row) => row.id === id);
}
