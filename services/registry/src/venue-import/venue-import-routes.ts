import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, type AppContext, requestIdOf } from '@pass/http';
import express, { type RequestHandler, type Router } from 'express';
import { OPERATORS } from '../shared/access';
import { z } from '../shared/openapi-zod';
import { ACCREDITATION_STATUSES } from '../venues/venue';
import { VenueImportService } from './venue-import-service';

/** Largest file accepted as a raw `text/csv` body (a JSON envelope is bound by the API's 1 MB JSON limit). */
export const IMPORT_FILE_LIMIT = '10mb';

const issueView = z.object({ code: z.string(), field: z.string().optional(), message: z.string() });

export const venueImportReportView = z
  .object({
    dryRun: z.boolean(),
    format: z.enum(['csv', 'json']),
    schemaVersion: z.enum(['0.1', '1.x']),
    source: z.string().nullable(),
    fileWarnings: z.array(issueView),
    summary: z.object({
      rows: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
      acceptingPass: z.number().int(),
      warnings: z.record(z.string(), z.number().int()),
    }),
    rows: z.array(
      z.object({
        rowNumber: z.number().int(),
        line: z.number().int().nullable(),
        sourceId: z.string().nullable(),
        name: z.string().nullable(),
        outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
        venueId: z.string().nullable(),
        acceptsPass: z.boolean(),
        status: z.enum(ACCREDITATION_STATUSES).nullable(),
        changedFields: z.array(z.string()),
        warnings: z.array(issueView),
        errors: z.array(issueView),
      }),
    ),
  })
  .openapi('VenueImportReport');

const importBody = z
  .object({
    format: z.enum(['csv', 'json']),
    content: z.string().min(1).describe('The file content (UTF-8 text).'),
  })
  .strict()
  .openapi('VenueImportFile');

const importQuery = z
  .object({
    dryRun: z.enum(['true', 'false']).default('true').describe('true (default): report only; false: apply.'),
    source: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Forces the source of every row (re-import key).'),
  })
  .strict();

const exportQuery = z
  .object({
    format: z.enum(['csv', 'json']).default('csv'),
    status: z.enum(ACCREDITATION_STATUSES).optional(),
    acceptsPass: z.enum(['true', 'false']).optional(),
    associationId: z.uuid().optional(),
  })
  .strict();

// A raw CSV upload (Content-Type text/csv) becomes the same envelope as a JSON upload.
const rawCsvBody: RequestHandler[] = [
  express.text({ type: ['text/csv', 'text/plain'], limit: IMPORT_FILE_LIMIT }),
  (req, _res, next) => {
    if (typeof req.body === 'string') req.body = { format: 'csv', content: req.body };
    next();
  },
];

export function venueImportRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const imports = new VenueImportService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['venue open data'];

  api.post(
    '/venues/import',
    {
      summary:
        'Import venues from the national open-data standard (v0.1 or v1.x); a dry run unless dryRun=false',
      description:
        'Body: `{ "format": "csv" | "json", "content": "…" }` (JSON, up to 1 MB) or the CSV file itself with `Content-Type: text/csv` (up to 10 MB). ' +
        'The report lists every row: created, updated, unchanged or rejected, with reasons and warnings. ' +
        'Venues accepting the Pass numérique are created `applied`, the others `listed`; none has an association yet.',
      tags,
      access: ['operator_admin'],
      query: importQuery,
      body: importBody,
      response: venueImportReportView,
      before: rawCsvBody,
    },
    async ({ body, query, principal, req }) =>
      imports.run(
        principal!,
        {
          content: body.content,
          format: body.format,
          source: query.source,
          dryRun: query.dryRun !== 'false',
        },
        ctx.clock(),
        requestIdOf(req),
      ),
  );
  api.get(
    '/venues/export',
    {
      summary: 'Export venues in the national open-data standard, schema v1.x columns (CSV or JSON)',
      tags,
      access: [...OPERATORS],
      query: exportQuery,
      produces: { 'text/csv': 'v1.x CSV (comma, UTF-8)', 'application/json': 'v1.x JSON array' },
    },
    async ({ query, res }) => {
      const content = await imports.exportVenues(
        {
          status: query.status,
          acceptsPass: query.acceptsPass === undefined ? undefined : query.acceptsPass === 'true',
          associationId: query.associationId,
        },
        query.format,
        ctx.config.operator.name,
      );
      res.setHeader(
        'Content-Type',
        query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      );
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="lieux-mediation-numerique.${query.format}"`,
      );
      res.send(content);
      return undefined;
    },
  );
  return api.router;
}
