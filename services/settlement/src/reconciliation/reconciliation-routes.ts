import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext } from '@pass/http';
import type { Router } from 'express';
import { OPERATORS } from '../shared/access';
import { z } from '../shared/openapi-zod';
import { dateRangeQuery, instantRange } from '../shared/route-helpers';
import { reconcile } from './reconcile';
import { reconciliationJson } from './reconciliation-view';

export function reconciliationRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  api.get(
    '/settlement/reconciliation',
    {
      summary: 'Reconcile redemptions, statements, payouts and passes with the ledger for a period',
      description:
        'Per association: redeemed - undone - fees - paid + returned = closing payable; per funder: funded = redeemed + expired + cancelled + outstanding, both as of the end of the period. `ok: false` lists each gap with the rows behind it.',
      tags: ['settlement'],
      access: OPERATORS,
      query: dateRangeQuery,
      response: z.record(z.string(), z.unknown()),
    },
    async ({ query }) => {
      const range = query.from || query.to ? instantRange(query, ctx.config.businessTimezone) : undefined;
      const report = await reconcile(ctx.knex, {
        from: query.from && range ? range.from : null,
        to: query.to && range ? range.to : null,
      });
      return reconciliationJson(report);
    },
  );
  return api.router;
}
