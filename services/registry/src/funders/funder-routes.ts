import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import type { Router } from 'express';
import { OPERATORS } from '../shared/access';
import { pageRequestOf, respondList } from '../shared/list-response';
import type { Funder } from './funder';
import {
  createFunderBody,
  type FunderView,
  funderListQuery,
  funderPage,
  funderView,
  updateFunderBody,
} from './funder-schemas';
import { FunderService } from './funder-service';

export function toFunderView(funder: Funder): FunderView {
  return { ...funder, createdAt: funder.createdAt.toISOString(), updatedAt: funder.updatedAt.toISOString() };
}

const funderCsv = {
  fileName: 'financeurs.csv',
  header: [
    'id',
    'nom',
    'type',
    'siret',
    'code_postal',
    'ville',
    'taux_frais_amont',
    'taux_tva',
    'passes_expires',
  ],
  row: (f: Funder) => [
    f.id,
    f.name,
    f.kind,
    f.siret,
    f.billingAddress?.postcode,
    f.billingAddress?.town,
    f.contract.upstreamFeeRate,
    f.contract.vatRate,
    f.contract.expiredPassPolicy,
  ],
};

export function funderRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const funders = new FunderService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['funders'];

  api.get(
    '/funders',
    {
      summary: 'List funders (operators: all; a funder: itself). `?format=csv` downloads every match as CSV.',
      tags,
      access: [...OPERATORS, 'funder_manager'],
      query: funderListQuery,
      response: funderPage,
    },
    async ({ query, principal, res }) => {
      const page = await funders.list(principal!, { kind: query.kind, q: query.q }, pageRequestOf(query));
      return respondList(res, query.format, page, toFunderView, funderCsv);
    },
  );
  api.post(
    '/funders',
    {
      summary: 'Onboard a funder (SIRET checked, contract terms default to 4 % fee, 20 % VAT, refund)',
      tags,
      access: ['operator_admin'],
      body: createFunderBody,
      response: funderView,
      status: 201,
    },
    async ({ body, principal, req }) =>
      toFunderView(await funders.create(principal!, body, ctx.clock(), requestIdOf(req))),
  );
  api.get(
    '/funders/:id',
    {
      summary: 'A funder',
      tags,
      access: [...OPERATORS, 'funder_manager'],
      params: idParams,
      response: funderView,
    },
    async ({ params, principal }) => toFunderView(await funders.get(principal!, params.id)),
  );
  api.patch(
    '/funders/:id',
    {
      summary: "Change a funder. The funder's own admins may change contacts and billing address only.",
      tags,
      access: ['operator_admin', 'funder_manager'],
      params: idParams,
      body: updateFunderBody,
      response: funderView,
    },
    async ({ params, body, principal, req }) =>
      toFunderView(await funders.update(principal!, params.id, body, ctx.clock(), requestIdOf(req))),
  );
  return api.router;
}
