import { extendZodWithOpenApi, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, idParams } from '@pass/http';
import { z } from 'zod';
import type { FunderDashboardService } from './dashboard-service';

extendZodWithOpenApi(z);

const READERS = ['funder_manager', 'operator_admin', 'operator_finance'] as const;

const labelled = z.array(z.object({ label: z.string(), redeemed: z.number().int() }));

const dashboardSchema = z
  .object({
    byVenue: labelled.describe('Top 20 venues by passes redeemed (not undone).'),
    byCommune: labelled.describe('Top 20 venue communes.'),
    byService: labelled.describe('Top 20 catalogue services (by service name).'),
    overTime: z
      .array(
        z.object({
          period: z.string().describe('Calendar month YYYY-MM (Europe/Paris).'),
          distributed: z.number().int(),
          redeemed: z.number().int(),
          expired: z.number().int(),
        }),
      )
      .describe('The last 12 months, oldest first, empty months included.'),
  })
  .openapi('FunderDashboard');

/** GET /funders/:id/dashboard, for the funder's managers and operators. */
export function funderDashboardRoutes(service: FunderDashboardService, openapi: OpenAPIRegistry): ApiRouter {
  const api = new ApiRouter(openapi);
  api.get(
    '/funders/:id/dashboard',
    {
      summary:
        "A funder's passes redeemed by venue, commune and service, and distributed/redeemed/expired per month",
      description:
        'Pass counts, not money. A funder manager sees their own funder only (another id answers 404).',
      tags: ['reporting'],
      access: READERS,
      params: idParams,
      response: dashboardSchema,
    },
    ({ params, principal }) => service.get(principal!, params.id),
  );
  return api;
}
