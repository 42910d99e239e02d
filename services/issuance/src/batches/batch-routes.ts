import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import { BATCH_READERS, FUNDER_SIDE } from '../roles';
import {
  batchEventsQuery,
  batchEventsResponse,
  batchListQuery,
  batchListResponse,
  batchRequestBody,
  batchResponse,
  closeBody,
  generationResponse,
  quoteResponse,
} from './batch-schemas';
import { BatchService } from './batch-service';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Orders and batches: quote, create, submit, follow generation, approve the proof, close, history. */
export function batchRoutes(ctx: AppContext, openapi: OpenAPIRegistry, service = new BatchService(ctx)) {
  const api = new ApiRouter(openapi);
  const tags = ['batches'];

  api.post(
    '/batches/quote',
    {
      summary: 'Price an order (face value, upstream fee, VAT) without creating it',
      tags,
      access: BATCH_READERS,
      body: batchRequestBody,
      response: quoteResponse,
    },
    ({ body, principal }) => service.quote(principal!, body),
  );
  api.post(
    '/batches',
    {
      summary: 'Create a draft batch with its quote',
      description:
        'Refusals: 422 voucher_count_out_of_range (0 or more than 2,000,000 passes), invalid_validity_period, ' +
        'validity_already_over, unknown_territory_codes, unknown_service_categories; nothing is created.',
      tags,
      access: FUNDER_SIDE,
      body: batchRequestBody,
      response: batchResponse,
      status: 201,
    },
    ({ body, principal, req }) => service.create(principal!, body, requestIdOf(req)),
  );
  api.get(
    '/batches',
    {
      summary: 'Batches, newest first',
      tags,
      access: BATCH_READERS,
      query: batchListQuery,
      response: batchListResponse,
    },
    ({ query, principal }) => service.list(principal!, query),
  );
  api.get(
    '/batches/:id',
    {
      summary: 'One batch: terms, quote, funding, generation, proof, booklets',
      tags,
      access: BATCH_READERS,
      params: idParams,
      response: batchResponse,
    },
    ({ params, principal }) => service.get(principal!, params.id),
  );
  api.post(
    '/batches/:id/submit',
    {
      summary: 'Submit a draft: it awaits funding and its passes are generated in the background',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      response: batchResponse,
    },
    ({ params, principal, req }) => service.submit(principal!, params.id, requestIdOf(req)),
  );
  api.get(
    '/batches/:id/generation',
    {
      summary: 'Progress and ETA of the generation of the passes',
      tags,
      access: BATCH_READERS,
      params: idParams,
      response: generationResponse,
    },
    async ({ params, principal }) => {
      const progress = await service.generation(principal!, params.id);
      return { ...progress, startedAt: iso(progress.startedAt), completedAt: iso(progress.completedAt) };
    },
  );
  api.post(
    '/batches/:id/proof/approve',
    {
      summary: 'Approve the proof of the first booklet; the full booklet PDF is then rendered',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      response: batchResponse,
    },
    ({ params, principal, req }) => service.approveProof(principal!, params.id, requestIdOf(req)),
  );
  api.post(
    '/batches/:id/close',
    {
      summary: 'Close a batch (abandon an unfunded order, or end a batch with no usable pass left)',
      tags,
      access: FUNDER_SIDE,
      params: idParams,
      body: closeBody,
      response: batchResponse,
    },
    ({ params, body, principal, req }) => service.close(principal!, params.id, body.reason, requestIdOf(req)),
  );
  api.get(
    '/batches/:id/events',
    {
      summary: 'History of a batch, or of one pass with ?serial= (who, when, where)',
      tags,
      access: BATCH_READERS,
      params: idParams,
      query: batchEventsQuery,
      response: batchEventsResponse,
    },
    ({ params, query, principal }) => service.events(principal!, params.id, query),
  );
  return api.router;
}
