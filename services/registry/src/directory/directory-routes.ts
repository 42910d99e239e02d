import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { TooManyRequestsError } from '@pass/errors';
import { ApiRouter, type AppContext, idParams } from '@pass/http';
import type { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { SERVICE_CATEGORIES } from '../venues-open-data';
import {
  directoryQuery,
  directoryResponse,
  directoryVenueView,
  serviceCategoriesResponse,
} from './directory-schemas';
import { DirectoryService } from './directory-service';

/** Directory requests per IP per minute: it is public, and a scraper should not crowd out beneficiaries. */
export const DIRECTORY_REQUESTS_PER_MINUTE = 120;

export function directoryRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const directory = new DirectoryService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['public directory'];
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: DIRECTORY_REQUESTS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new TooManyRequestsError('rate_limited', 'Too many requests.', 60)),
  });

  api.get(
    '/public/venues',
    {
      summary:
        'Accredited venues near a postcode, a commune or a point, with their catalogue and hours (no login)',
      tags,
      access: 'public',
      query: directoryQuery,
      response: directoryResponse,
      before: [limiter],
    },
    async ({ query }) => directory.search(query),
  );
  api.get(
    '/public/venues/:id',
    {
      summary: 'One accredited venue (no login)',
      tags,
      access: 'public',
      params: idParams,
      response: directoryVenueView,
      before: [limiter],
    },
    async ({ params }) => directory.get(params.id),
  );
  api.get(
    '/public/service-categories',
    {
      summary: 'The service categories of the national standard',
      tags,
      access: 'public',
      response: serviceCategoriesResponse,
    },
    async () => ({ items: SERVICE_CATEGORIES.map(({ slug, label }) => ({ slug, label })) }),
  );
  return api.router;
}
