import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf, requireIdempotencyKey } from '@pass/http';
import { batchResponse, fundingBody, idempotencyHeaders } from '../batches/batch-schemas';
import { FINANCE } from '../roles';
import { FundingService } from './funding-service';

/** Money in: record the funding (must equal the quote), then activate the batch. */
export function fundingRoutes(ctx: AppContext, openapi: OpenAPIRegistry, service = new FundingService(ctx)) {
  const api = new ApiRouter(openapi);
  const tags = ['funding'];
  api.post(
    '/batches/:id/funding',
    {
      summary: 'Record the funding of a batch (mandate or bank transfer); it must equal the quote',
      description:
        'Ledger: debit operator:bank (total), credit funder prepaid (face total), operator:fees (fee) and ' +
        'operator:vat_collected (VAT). 422 funding_amount_mismatch when the amount differs from the quote.',
      tags,
      access: FINANCE,
      params: idParams,
      body: fundingBody,
      headers: idempotencyHeaders,
      response: batchResponse,
      status: 201,
    },
    async ({ params, body, principal, req, res }) => {
      const result = await service.recordFunding(
        principal!,
        params.id,
        body,
        requireIdempotencyKey(req.headers['idempotency-key']),
        requestIdOf(req),
      );
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(result.status).json(result.body);
    },
  );
  api.post(
    '/batches/:id/activate',
    {
      summary: 'Activate a funded batch: its passes become usable',
      description:
        'Ledger: debit funder prepaid, credit funder vouchers_outstanding (face value of the passes still ' +
        'available). 409 batch_not_funded without funding, generation_incomplete while passes are generated.',
      tags,
      access: FINANCE,
      params: idParams,
      headers: idempotencyHeaders,
      response: batchResponse,
    },
    async ({ params, principal, req, res }) => {
      const result = await service.activate(
        principal!,
        params.id,
        requireIdempotencyKey(req.headers['idempotency-key']),
        requestIdOf(req),
      );
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(result.status).json(result.body);
    },
  );
  return api.router;
}
