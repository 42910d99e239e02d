import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams } from '@pass/http';
import { BATCH_READERS, DISTRIBUTORS, FUNDER_SIDE } from '../roles';
import {
  assignBody,
  bookletListQuery,
  bookletListResponse,
  distributionSummaryResponse,
  handOutBody,
  handOutResponse,
  returnBody,
  stockMoveResponse,
  stockResponse,
  transferBody,
} from './distribution-schemas';
import { DistributionService } from './distribution-service';

/** Stock of booklets at distributors, hand-outs to beneficiaries, and the funder's follow-up. */
export function distributionRoutes(
  ctx: AppContext,
  openapi: OpenAPIRegistry,
  service = new DistributionService(ctx),
) {
  const api = new ApiRouter(openapi);
  const tags = ['distribution'];
  api.post(
    '/batches/:id/stock/assignments',
    {
      summary: 'Put a range of booklets into a distributor’s stock',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      body: assignBody,
      response: stockMoveResponse,
      status: 201,
    },
    ({ params, body, principal }) => service.assign(principal!, params.id, body),
  );
  api.post(
    '/batches/:id/stock/transfers',
    {
      summary: 'Move booklets from one distributor to another of the same funder',
      tags,
      access: [...FUNDER_SIDE, ...DISTRIBUTORS],
      params: idParams,
      body: transferBody,
      response: stockMoveResponse,
    },
    ({ params, body, principal }) => service.transfer(principal!, params.id, body),
  );
  api.post(
    '/batches/:id/stock/returns',
    {
      summary: 'Return unused booklets to the funder',
      tags,
      access: [...FUNDER_SIDE, ...DISTRIBUTORS],
      params: idParams,
      body: returnBody,
      response: stockMoveResponse,
    },
    ({ params, body, principal }) => service.returnStock(principal!, params.id, body),
  );
  api.post(
    '/distribution/hand-outs',
    {
      summary:
        'Hand a booklet or a single pass to a beneficiary (optional pseudonymous reference, never a name)',
      description:
        '409 distribution_closed from 15 days before the end of validity; 404 booklet_not_in_stock.',
      tags,
      access: DISTRIBUTORS,
      body: handOutBody,
      response: handOutResponse,
      status: 201,
    },
    ({ body, principal }) => service.handOut(principal!, body),
  );
  api.get(
    '/distribution/stock',
    { summary: 'The booklets in my stock, by batch', tags, access: DISTRIBUTORS, response: stockResponse },
    ({ principal }) => service.stock(principal!),
  );
  api.get(
    '/batches/:id/booklets',
    {
      summary: 'Per booklet: issued, distributed, started or finished, with counts and holder',
      tags,
      access: BATCH_READERS,
      params: idParams,
      query: bookletListQuery,
      response: bookletListResponse,
    },
    ({ params, query, principal }) => service.booklets(principal!, params.id, query),
  );
  api.get(
    '/batches/:id/distribution',
    {
      summary: 'Distribution summary: booklets by state, passes by state, stock per distributor',
      tags,
      access: BATCH_READERS,
      params: idParams,
      response: distributionSummaryResponse,
    },
    ({ params, principal }) => service.summary(principal!, params.id),
  );
  return api.router;
}
