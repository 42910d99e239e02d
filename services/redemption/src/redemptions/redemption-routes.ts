import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApiRouter, idParams, requestIdOf, requireIdempotencyKey, sendCsv, toCsv } from '@pass/http';
import { Money } from '@pass/money';
import type { Response } from 'express';
import type { IdempotentResult } from '@pass/http';
import { REFUSAL_CODES } from './redemption';
import {
  basketSchema,
  checkResponseSchema,
  idempotencyHeaders,
  listQuerySchema,
  listResponseSchema,
  redemptionResponseSchema,
  undoSchema,
} from './redemption-schemas';
import type { RedemptionJson, RedemptionService } from './redemption-service';

const VENUE_AGENTS = ['venue_agent'] as const;
const READERS = ['venue_agent', 'association_treasurer', 'operator_admin', 'operator_finance'] as const;
const UNDOERS = ['venue_agent', 'operator_admin', 'operator_finance'] as const;
const CSV_MAX_ROWS = 50_000;

const REFUSALS_DOC =
  `Refusals answer 422 problem+json whose \`code\` is one of ${REFUSAL_CODES.map((c) => `\`${c}\``).join(', ')}, ` +
  'with `message` (French), `refusals` (basket-level) and `passes` (every pass with its own refusals). ' +
  '429 `too_many_failed_lookups` after too many unknown codes from one device or venue.';

/** Sends an idempotent result with its own status, marking a replayed answer. */
function sendResult(res: Response, result: IdempotentResult<RedemptionJson>): void {
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}

const STATUS_FR = { live: 'encaissé', undone: 'annulé' } as const;
const PARIS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  dateStyle: 'short',
  timeStyle: 'medium',
});

/** POST /redemptions/check, POST /redemptions, POST /redemptions/:id/undo, GET /redemptions[/:id]. */
export function redemptionRoutes(service: RedemptionService, openapi: OpenAPIRegistry): ApiRouter {
  const api = new ApiRouter(openapi);
  api.post(
    '/redemptions/check',
    {
      summary: 'Check whether passes can pay a catalogue service here (changes nothing)',
      description:
        "Every check of a redemption, every pass's reasons. Unknown codes still count towards the rate limit. " +
        REFUSALS_DOC,
      tags: ['redemptions'],
      access: VENUE_AGENTS,
      body: basketSchema,
      response: checkResponseSchema,
    },
    ({ body, principal }) => service.check(principal!, body),
  );
  api.post(
    '/redemptions',
    {
      summary: 'Redeem passes for a catalogue service, all or nothing',
      description:
        'Marks the passes redeemed and posts the ledger entry (funder outstanding → association payable) in one ' +
        'transaction. Same Idempotency-Key and body replays the first answer (header Idempotent-Replayed), another ' +
        'body is 422 `idempotency_key_reused`, a request still running is 409 `idempotency_in_flight`. ' +
        REFUSALS_DOC,
      tags: ['redemptions'],
      access: VENUE_AGENTS,
      body: basketSchema,
      headers: idempotencyHeaders,
      status: 201,
      response: redemptionResponseSchema,
    },
    async ({ body, principal, req, res }) => {
      const key = requireIdempotencyKey(req.headers['idempotency-key']);
      sendResult(res, await service.redeem(principal!, body, key, requestIdOf(req)));
      return undefined;
    },
  );
  api.post(
    '/redemptions/:id/undo',
    {
      summary: 'Undo a redemption within the undo window (the redeeming venue or an operator)',
      description:
        'Posts the reversal entry and makes the passes usable again. Refused with 422 `undo_window_expired` after ' +
        'the window, 422 `already_settled` once on a statement, 409 `already_undone`, 403 `undo_not_allowed`.',
      tags: ['redemptions'],
      access: UNDOERS,
      params: idParams,
      body: undoSchema,
      headers: idempotencyHeaders,
      response: redemptionResponseSchema,
    },
    async ({ params, body, principal, req, res }) => {
      const key = requireIdempotencyKey(req.headers['idempotency-key']);
      sendResult(res, await service.undo(principal!, params.id, body, key, requestIdOf(req)));
      return undefined;
    },
  );
  api.get(
    '/redemptions',
    {
      summary: 'Redemptions of a day (today by default) or a date range, newest first; CSV with format=csv',
      description: 'A venue agent sees their venue, a treasurer their association, operators every venue.',
      tags: ['redemptions'],
      access: READERS,
      query: listQuerySchema,
      response: listResponseSchema,
      produces: { 'text/csv': 'With format=csv: every matching redemption (French headers, `;` separated).' },
    },
    async ({ query, principal, res }) => {
      if (query.format === 'json') return service.list(principal!, query);
      const page = await service.list(principal!, query, { max: CSV_MAX_ROWS });
      const csv = toCsv(
        [
          'Date',
          'Lieu',
          'Service',
          'Catégorie',
          'Nombre de pass',
          'Montant (EUR)',
          'Statut',
          'Annulé le',
          'Pass',
          'Id',
        ],
        page.items.map((r) => [
          PARIS.format(new Date(r.redeemedAt)),
          r.venueName,
          r.service.name,
          r.service.category,
          String(r.passCount),
          Money.parse(r.paid.amount).toFrenchDecimal(),
          STATUS_FR[r.status],
          r.undoneAt ? PARIS.format(new Date(r.undoneAt)) : '',
          r.serials.join(' '),
          r.id,
        ]),
      );
      sendCsv(res, `encaissements-${query.date ?? query.from ?? 'jour'}.csv`, csv);
      return undefined;
    },
  );
  api.get(
    '/redemptions/:id',
    {
      summary: 'One redemption',
      tags: ['redemptions'],
      access: READERS,
      params: idParams,
      response: redemptionResponseSchema,
    },
    ({ params, principal }) => service.get(principal!, params.id),
  );
  return api;
}
