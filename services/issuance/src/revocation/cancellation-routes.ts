import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, idParams, requestIdOf, requireIdempotencyKey } from '@pass/http';
import { idempotencyHeaders } from '../batches/batch-schemas';
import { FUNDER_SIDE } from '../roles';
import { cancellationBody, cancellationResponse } from './cancellation-schemas';
import { CancellationService } from './cancellation-service';

/** Revocation of lost or stolen passes. */
export function cancellationRoutes(
  ctx: AppContext,
  openapi: OpenAPIRegistry,
  service = new CancellationService(ctx),
) {
  const api = new ApiRouter(openapi);
  api.post(
    '/batches/:id/cancellations',
    {
      summary: 'Cancel a pass, a booklet, a serial range or a pass by code, with a reason',
      description:
        'Only available passes change. Once the batch is active, ledger: debit vouchers_outstanding, credit ' +
        'prepaid. Redemption refuses a cancelled pass with its reason.',
      tags: ['revocation'],
      access: FUNDER_SIDE,
      params: idParams,
      body: cancellationBody,
      headers: idempotencyHeaders,
      response: cancellationResponse,
      status: 201,
    },
    async ({ params, body, principal, req, res }) => {
      const result = await service.cancel(
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
  return api.router;
}
