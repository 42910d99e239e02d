import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import type { Router } from 'express';
import { OPERATORS } from '../shared/access';
import { pageRequestOf, respondList } from '../shared/list-response';
import type { Distributor } from './distributor';
import {
  createDistributorBody,
  type DistributorView,
  distributorListQuery,
  distributorPage,
  distributorView,
  updateDistributorBody,
} from './distributor-schemas';
import { DistributorService } from './distributor-service';

export function toDistributorView(distributor: Distributor): DistributorView {
  return {
    ...distributor,
    createdAt: distributor.createdAt.toISOString(),
    updatedAt: distributor.updatedAt.toISOString(),
  };
}

const distributorCsv = {
  fileName: 'distributeurs.csv',
  header: ['id', 'nom', 'financeur_id', 'siret', 'code_postal', 'ville'],
  row: (d: Distributor) => [d.id, d.name, d.funderId, d.siret, d.postcode, d.town],
};

export function distributorRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const distributors = new DistributorService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['distributors'];

  api.get(
    '/distributors',
    {
      summary:
        'List distributors (operators: all; a funder: its own distributors; a distributor: itself). ' +
        '`?format=csv` for a CSV file.',
      tags,
      access: [...OPERATORS, 'funder_manager', 'distributor_agent'],
      query: distributorListQuery,
      response: distributorPage,
    },
    async ({ query, principal, res }) => {
      const page = await distributors.list(
        principal!,
        { funderId: query.funderId, q: query.q },
        pageRequestOf(query),
      );
      return respondList(res, query.format, page, toDistributorView, distributorCsv);
    },
  );
  api.post(
    '/distributors',
    {
      summary: 'Create a distributor',
      tags,
      access: ['operator_admin'],
      body: createDistributorBody,
      response: distributorView,
      status: 201,
    },
    async ({ body, principal, req }) =>
      toDistributorView(await distributors.create(principal!, body, ctx.clock(), requestIdOf(req))),
  );
  api.get(
    '/distributors/:id',
    {
      summary: 'A distributor',
      tags,
      access: [...OPERATORS, 'distributor_agent'],
      params: idParams,
      response: distributorView,
    },
    async ({ params, principal }) => toDistributorView(await distributors.get(principal!, params.id)),
  );
  api.patch(
    '/distributors/:id',
    {
      summary: 'Change a distributor',
      tags,
      access: ['operator_admin'],
      params: idParams,
      body: updateDistributorBody,
      response: distributorView,
    },
    async ({ params, body, principal, req }) =>
      toDistributorView(
        await distributors.update(principal!, params.id, body, ctx.clock(), requestIdOf(req)),
      ),
  );
  return api.router;
}
