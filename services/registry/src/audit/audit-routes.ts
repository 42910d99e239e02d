import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { type AuditRecord, searchAudit } from '@pass/audit';
import { BadRequestError } from '@pass/errors';
import { ApiRouter, type AppContext, decodeCursor, encodeCursor, sendCsv, toCsv } from '@pass/http';
import type { Router } from 'express';
import { OPERATORS } from '../shared/access';
import { CSV_EXPORT_MAX_ROWS, listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';

const auditRecordView = z
  .object({
    id: z.string(),
    at: z.string(),
    actorKind: z.string(),
    actorId: z.string().nullable(),
    actorRole: z.string().nullable(),
    organisationId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
  })
  .openapi('AuditRecord');

const auditQuery = listQuerySchema
  .extend({
    action: z.string().max(100).optional().describe('e.g. venue.accredit, bank_change.approved'),
    targetType: z.string().max(100).optional(),
    targetId: z.string().max(100).optional(),
    actorId: z.string().max(100).optional(),
    organisationId: z.uuid().optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** The audit log (append-only, written with every mutation), searchable by operators, newest first. */
export function auditRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const api = new ApiRouter(openapi);
  api.get(
    '/audit',
    {
      summary: 'Search the audit log, newest first. `?format=csv` for a CSV file.',
      tags: ['audit'],
      access: [...OPERATORS],
      query: auditQuery,
      response: pageSchema(auditRecordView, 'AuditPage'),
    },
    async ({ query, res }) => {
      const all = query.format === 'csv';
      const limit = all ? CSV_EXPORT_MAX_ROWS : query.limit;
      const beforeId = query.cursor && !all ? decodeCursor(query.cursor, 1)[0] : undefined;
      if (beforeId !== undefined && !/^\d{1,19}$/.test(beforeId)) {
        throw new BadRequestError('invalid_cursor', 'The pagination cursor is not valid.');
      }
      const rows = await searchAudit(ctx.knex, {
        action: query.action,
        targetType: query.targetType,
        targetId: query.targetId,
        actorId: query.actorId,
        organisationId: query.organisationId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        beforeId,
        limit: all ? limit : limit + 1,
      });
      if (all) {
        sendCsv(
          res,
          'journal-audit.csv',
          toCsv(
            [
              'id',
              'date',
              'acteur',
              'type_acteur',
              'role',
              'organisation',
              'action',
              'cible_type',
              'cible_id',
              'resume',
              'requete',
            ],
            rows.map((r: AuditRecord) => [
              r.id,
              r.at,
              r.actorId,
              r.actorKind,
              r.actorRole,
              r.organisationId,
              r.action,
              r.targetType,
              r.targetId,
              JSON.stringify(r.summary),
              r.requestId,
            ]),
          ),
        );
        return undefined;
      }
      const items = rows.slice(0, limit);
      const nextCursor = rows.length > limit ? encodeCursor([items[items.length - 1]!.id]) : null;
      return { items, nextCursor };
    },
  );
  return api.router;
}
