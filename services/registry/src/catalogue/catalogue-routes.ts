import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf, sendCsv, toCsv } from '@pass/http';
import type { Router } from 'express';
import { ASSOCIATION_MEMBERS, OPERATORS } from '../shared/access';
import { z } from '../shared/openapi-zod';
import { serviceLabel } from '../venues-open-data';
import type { CatalogueItem } from './catalogue-item';
import {
  type CatalogueItemView,
  catalogueItemView,
  catalogueListQuery,
  createCatalogueItemBody,
  updateCatalogueItemBody,
} from './catalogue-schemas';
import { CatalogueService } from './catalogue-service';

export function toCatalogueItemView(item: CatalogueItem): CatalogueItemView {
  return {
    ...item,
    categoryLabel: serviceLabel(item.category),
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

export function catalogueRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const catalogue = new CatalogueService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['catalogue'];

  api.get(
    '/venues/:id/catalogue',
    {
      summary: 'The services a venue offers, priced in passes. `?format=csv` for a CSV file.',
      tags,
      access: [...OPERATORS, ...ASSOCIATION_MEMBERS],
      params: idParams,
      query: catalogueListQuery,
      response: z.object({ items: z.array(catalogueItemView) }),
    },
    async ({ params, query, principal, res }) => {
      const items = await catalogue.list(principal!, params.id, {
        includeInactive: query.includeInactive === 'true',
      });
      if (query.format === 'csv') {
        sendCsv(
          res,
          'catalogue.csv',
          toCsv(
            ['id', 'lieu_id', 'nom', 'categorie', 'prix_en_pass', 'reste_a_charge_nul', 'actif'],
            items.map((i) => [
              i.id,
              i.venueId,
              i.name,
              serviceLabel(i.category),
              String(i.pricePasses),
              i.zeroRemainder ? 'oui' : 'non',
              i.active ? 'oui' : 'non',
            ]),
          ),
        );
        return undefined;
      }
      return { items: items.map(toCatalogueItemView) };
    },
  );
  api.post(
    '/venues/:id/catalogue',
    {
      summary: 'Add a service to a venue’s catalogue',
      tags,
      access: ['operator_admin', 'association_treasurer'],
      params: idParams,
      body: createCatalogueItemBody,
      response: catalogueItemView,
      status: 201,
    },
    async ({ params, body, principal, req }) =>
      toCatalogueItemView(await catalogue.create(principal!, params.id, body, ctx.clock(), requestIdOf(req))),
  );
  api.patch(
    '/catalogue/:id',
    {
      summary: 'Change a catalogue item (price, name, category) or deactivate it (`active: false`)',
      tags,
      access: ['operator_admin', 'association_treasurer'],
      params: idParams,
      body: updateCatalogueItemBody,
      response: catalogueItemView,
    },
    async ({ params, body, principal, req }) =>
      toCatalogueItemView(await catalogue.update(principal!, params.id, body, ctx.clock(), requestIdOf(req))),
  );
  return api.router;
}
