import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { NotFoundError, TooManyRequestsError } from '@pass/errors';
import { ApiRouter, type AppContext } from '@pass/http';
import { findCommune, listDepartements, searchCommunes } from '@pass/territory';
import { keyringToJwks } from '@pass/voucher-code';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { PassCheckService } from './pass-check-service';
import {
  communeResponse,
  communeSearchQuery,
  departementResponse,
  jwksResponse,
  passCheckBody,
  passCheckResponse,
} from './public-schemas';
import { buildVoucherKeyring } from './voucher-keyring';

/** Public pass checks per client IP per minute (a guess oracle must stay slow; see ADR 0003). */
export const PASS_CHECKS_PER_MINUTE = 20;

/** Public endpoints: the pass check (rate limited), the scanners' public keys, the territory pickers. */
export function publicRoutes(ctx: AppContext, openapi: OpenAPIRegistry, service = new PassCheckService(ctx)) {
  const api = new ApiRouter(openapi);
  const jwks = keyringToJwks(buildVoucherKeyring(ctx.config.secrets));
  const checkLimiter = rateLimit({
    windowMs: 60_000,
    limit: PASS_CHECKS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(
        new TooManyRequestsError(
          'pass_check_rate_limited',
          'Too many pass checks; try again in a minute.',
          60,
        ),
      ),
  });

  api.post(
    '/public/pass-check',
    {
      summary: 'Is this pass genuine? Value, validity and accredited venues nearby (no login)',
      description:
        'Takes a typed code or a scanned QR payload in the body (never in the URL, so codes stay out of ' +
        `access logs). Never tells who holds a pass or where it was used. Limited to ${PASS_CHECKS_PER_MINUTE} ` +
        'checks a minute per client.',
      tags: ['public'],
      access: 'public',
      body: passCheckBody,
      response: passCheckResponse,
      before: [checkLimiter],
    },
    ({ body }) =>
      service.check(body.input, {
        postcode: body.postcode,
        latitude: body.latitude,
        longitude: body.longitude,
      }),
  );
  api.get(
    '/keys',
    {
      summary: 'Public keys (JWK Set) that verify the signature of pass QR codes offline',
      description:
        'The current key and every retired key still needed to verify passes printed before a rotation.',
      tags: ['public'],
      access: 'public',
      response: jwksResponse,
    },
    async ({ res }) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      return jwks;
    },
  );
  api.get(
    '/territory/departements',
    {
      summary: 'French départements (for the territory picker)',
      tags: ['public'],
      access: 'public',
      response: z.array(departementResponse),
    },
    async () => listDepartements(),
  );
  api.get(
    '/territory/communes',
    {
      summary: 'Communes whose name starts with q (accents and case ignored)',
      tags: ['public'],
      access: 'public',
      query: communeSearchQuery,
      response: z.array(communeResponse),
    },
    async ({ query }) => searchCommunes(query.q, query.limit),
  );
  api.get(
    '/territory/communes/:code',
    {
      summary: 'A commune by INSEE code',
      tags: ['public'],
      access: 'public',
      params: z.object({ code: z.string().regex(/^(\d{5}|2[ABab]\d{3})$/) }).strict(),
      response: communeResponse,
    },
    async ({ params }) => {
      const commune = findCommune(params.code);
      if (!commune) throw new NotFoundError('commune_not_found', 'No such commune.');
      return commune;
    },
  );
  return api.router;
}
