import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, idParams, pageQuerySchema, requestIdOf } from '@pass/http';
import { z } from 'zod';
import { FRAUD_FLAG_KINDS, FRAUD_FLAG_STATUSES } from './fraud-flag';
import type { FraudFlagService } from './fraud-service';

extendZodWithOpenApi(z);

const OPERATORS = ['operator_admin', 'operator_finance'] as const;

const flagSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(FRAUD_FLAG_KINDS),
    status: z.enum(FRAUD_FLAG_STATUSES),
    venueId: z.uuid().nullable(),
    associationId: z.uuid().nullable(),
    voucherId: z.string().nullable(),
    redemptionId: z.uuid().nullable(),
    details: z.record(z.string(), z.unknown()),
    occurrences: z.number().int(),
    firstSeenAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    resolvedBy: z.string().nullable(),
    resolutionNote: z.string().nullable(),
  })
  .openapi('FraudFlag');

const listQuery = pageQuerySchema
  .extend({
    status: z.enum(FRAUD_FLAG_STATUSES).optional(),
    kind: z.enum(FRAUD_FLAG_KINDS).optional(),
    venueId: z.uuid().optional(),
  })
  .strict();

const resolveBody = z
  .object({
    outcome: z.enum(['confirmed', 'dismissed']),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .openapi('FraudFlagResolution');

/** GET /fraud-flags and POST /fraud-flags/:id/resolve, for operators. */
export function fraudRoutes(service: FraudFlagService, openapi: OpenAPIRegistry): ApiRouter {
  const api = new ApiRouter(openapi);
  api.get(
    '/fraud-flags',
    {
      summary: 'Fraud flags to review, most recently seen first',
      description:
        'Patterns noticed on redemptions (bursts, a booklet used beyond the price, use outside opening hours, a ' +
        'pass tried at two venues, repeated unknown codes). A flag never blocks a redemption.',
      tags: ['fraud'],
      access: OPERATORS,
      query: listQuery,
      response: z
        .object({ items: z.array(flagSchema), nextCursor: z.string().nullable() })
        .openapi('FraudFlagPage'),
    },
    ({ query }) => service.list(query),
  );
  api.post(
    '/fraud-flags/:id/resolve',
    {
      summary: 'Confirm or dismiss a fraud flag (audited)',
      tags: ['fraud'],
      access: OPERATORS,
      params: idParams,
      body: resolveBody,
      response: flagSchema,
    },
    ({ params, body, principal, req }) => service.resolve(principal!, params.id, body, requestIdOf(req)),
  );
  return api;
}
