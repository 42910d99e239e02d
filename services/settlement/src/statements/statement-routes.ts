import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Principal } from '@pass/auth';
import { BadRequestError, NotFoundError } from '@pass/errors';
import {
  ApiRouter,
  type AppContext,
  decodeCursor,
  encodeCursor,
  idParams,
  pageQuerySchema,
} from '@pass/http';
import type { Router } from 'express';
import { PAYOUT_STATUS_LABELS } from '../payouts/payout';
import { associationScope, OPERATORS } from '../shared/access';
import { moneyJson } from '../shared/money-format';
import { z } from '../shared/openapi-zod';
import { periodLabel, renderStatementPdf, statementCsvChunks } from './statement-documents';
import { findStatement, listStatements, type Statement, statementTotals } from './statement-store';

const money = z.object({ amount: z.string(), currency: z.literal('EUR') });

export const statementView = z
  .object({
    id: z.uuid(),
    number: z.string().nullable(),
    status: z.enum(['draft', 'issued']),
    associationId: z.uuid(),
    associationName: z.string().nullable(),
    issueDate: z.string(),
    cutoff: z.string(),
    periodStart: z.string().nullable(),
    period: z.string().openapi({ description: 'The period in French, e.g. "du 01/11/2026 au 30/11/2026"' }),
    feeRate: z.string(),
    redemptionCount: z.number().int(),
    voucherCount: z.number().int(),
    gross: money,
    fee: money,
    net: money,
    payout: z
      .object({
        id: z.uuid(),
        status: z.string(),
        statusLabel: z.string(),
        amount: money,
        executionDate: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi('Statement');

function toStatementView(statement: Statement, timeZone: string): z.infer<typeof statementView> {
  return {
    id: statement.id,
    number: statement.number,
    status: statement.status,
    associationId: statement.associationId,
    associationName: statement.payee?.legalName ?? null,
    issueDate: statement.issueDate,
    cutoff: statement.cutoff.toISOString(),
    periodStart: statement.periodStart?.toISOString() ?? null,
    period: periodLabel(statement, timeZone),
    feeRate: statement.feeRate,
    redemptionCount: statement.redemptionCount,
    voucherCount: statement.voucherCount,
    gross: moneyJson(statement.grossCents),
    fee: moneyJson(statement.feeCents),
    net: moneyJson(statement.netCents),
    payout: statement.payout
      ? {
          id: statement.payout.id,
          status: statement.payout.status,
          statusLabel: PAYOUT_STATUS_LABELS[statement.payout.status],
          amount: moneyJson(statement.payout.amountCents),
          executionDate: statement.payout.executionDate,
        }
      : null,
  };
}

/** A statement the principal may see (its own association's, or any for operators), issued. */
async function visibleStatement(ctx: AppContext, principal: Principal, id: string): Promise<Statement> {
  const statement = await findStatement(ctx.knex, id);
  const scope = associationScope(principal, undefined);
  if (statement?.status !== 'issued' || (scope && statement.associationId !== scope)) {
    throw new NotFoundError('statement_not_found', 'No such statement.');
  }
  return statement;
}

const statementListQuery = pageQuerySchema.extend({ associationId: z.uuid().optional() });

export function statementRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  const tags = ['settlement'];
  const timeZone = ctx.config.businessTimezone;
  const readers = [...OPERATORS, 'association_treasurer'] as const;

  api.get(
    '/settlement/statements',
    {
      summary: 'Statements (relevés), newest first: a treasurer sees their association’s',
      tags,
      access: readers,
      query: statementListQuery,
      response: z.object({ items: z.array(statementView), nextCursor: z.string().nullable() }),
    },
    async ({ query, principal }) => {
      const associationId = associationScope(principal!, query.associationId);
      let after: { issueDate: string; number: string } | undefined;
      if (query.cursor) {
        const [issueDate, number] = decodeCursor(query.cursor, 2) as [string, string];
        if (!/^\d{4}-\d{2}-\d{2}$/.test(issueDate))
          throw new BadRequestError('invalid_cursor', 'The pagination cursor is not valid.');
        after = { issueDate, number };
      }
      const rows = await listStatements(ctx.knex, { associationId, after, limit: query.limit + 1 });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return {
        items: items.map((s) => toStatementView(s, timeZone)),
        nextCursor:
          rows.length > query.limit && last ? encodeCursor([last.issueDate, last.number ?? '']) : null,
      };
    },
  );

  api.get(
    '/settlement/statements/:id',
    {
      summary: 'A statement with its totals by venue and funder',
      tags,
      access: readers,
      params: idParams,
      response: statementView.extend({
        totals: z.array(
          z.object({
            venueId: z.uuid(),
            venueName: z.string(),
            funderId: z.uuid(),
            funderName: z.string(),
            voucherCount: z.number().int(),
            gross: money,
          }),
        ),
      }),
    },
    async ({ params, principal }) => {
      const statement = await visibleStatement(ctx, principal!, params.id);
      const totals = await statementTotals(ctx.knex, statement.id);
      return {
        ...toStatementView(statement, timeZone),
        totals: totals.map((total) => ({
          venueId: total.venueId,
          venueName: total.venueName,
          funderId: total.funderId,
          funderName: total.funderName,
          voucherCount: total.voucherCount,
          gross: moneyJson(total.grossCents),
        })),
      };
    },
  );

  api.get(
    '/settlement/statements/:id/pdf',
    {
      summary: 'The statement as a PDF (French formats)',
      tags,
      access: readers,
      params: idParams,
      produces: { 'application/pdf': 'Relevé de contre-paiement' },
    },
    async ({ params, principal, res }) => {
      const statement = await visibleStatement(ctx, principal!, params.id);
      const pdf = await renderStatementPdf(ctx.knex, statement, ctx.config);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="releve-${statement.number}.pdf"`);
      res.send(pdf);
      return undefined;
    },
  );

  api.get(
    '/settlement/statements/:id/csv',
    {
      summary: 'The statement as CSV, one line per pass (;, dd/mm/yyyy, decimal comma)',
      tags,
      access: readers,
      params: idParams,
      produces: { 'text/csv': 'Lignes du relevé' },
    },
    async ({ params, principal, res }) => {
      const statement = await visibleStatement(ctx, principal!, params.id);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="releve-${statement.number}.csv"`);
      for await (const chunk of statementCsvChunks(ctx.knex, statement, timeZone)) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
      return undefined;
    },
  );
  return api.router;
}
