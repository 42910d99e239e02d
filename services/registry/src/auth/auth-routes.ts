import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { TooManyRequestsError } from '@pass/errors';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { loginBody, meResponse, refreshBody, tokenResponse } from './auth-schemas';
import { AuthService } from './auth-service';
import { DeviceService } from './device-service';

/** Login attempts per IP per minute before 429 (the per-account lockout is separate). */
export const LOGIN_ATTEMPTS_PER_MINUTE = 20;

const deviceView = z
  .object({
    id: z.string(),
    venueId: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Device');

export function authRoutes(ctx: AppContext, openapi: OpenAPIRegistry) {
  const auth = new AuthService({
    knex: ctx.knex,
    tokens: ctx.tokens,
    refreshTokenTtlDays: ctx.config.jwt.refreshTokenTtlDays,
  });
  const devices = new DeviceService(ctx.knex);
  const api = new ApiRouter(openapi);
  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: LOGIN_ATTEMPTS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new TooManyRequestsError('login_rate_limited', 'Too many login attempts.', 60)),
  });

  api.post(
    '/auth/login',
    {
      summary: 'Log in with e-mail and password',
      tags: ['auth'],
      access: 'public',
      body: loginBody,
      response: tokenResponse,
      before: [loginLimiter],
    },
    ({ body, req }) => auth.login(body.email, body.password, ctx.clock(), requestIdOf(req)),
  );
  api.post(
    '/auth/refresh',
    {
      summary: 'Exchange a refresh token for new tokens (rotation)',
      tags: ['auth'],
      access: 'public',
      body: refreshBody,
      response: tokenResponse,
    },
    ({ body }) => auth.refresh(body.refreshToken, ctx.clock()),
  );
  api.post(
    '/auth/logout',
    {
      summary: 'Revoke a refresh token and its rotation family',
      tags: ['auth'],
      access: 'public',
      body: refreshBody,
      status: 204,
    },
    async ({ body }) => {
      await auth.logout(body.refreshToken, ctx.clock());
    },
  );
  api.get(
    '/auth/me',
    { summary: 'The signed-in user', tags: ['auth'], access: 'authenticated', response: meResponse },
    ({ principal }) => auth.me(principal!),
  );

  api.post(
    '/venues/:id/devices',
    {
      summary: 'Register a scanner device for a venue (the token is shown once)',
      tags: ['devices'],
      access: ['operator_admin', 'association_treasurer', 'venue_agent'],
      params: idParams,
      body: z.object({ name: z.string().min(1).max(100) }).strict(),
      response: z.object({ device: deviceView, token: z.string() }),
      status: 201,
    },
    ({ params, body, principal, req }) =>
      devices.create(principal!, params.id, body.name, ctx.clock(), requestIdOf(req)),
  );
  api.post(
    '/devices/:id/revoke',
    {
      summary: 'Revoke a scanner device',
      tags: ['devices'],
      access: ['operator_admin', 'association_treasurer', 'venue_agent'],
      params: idParams,
      response: deviceView,
    },
    ({ params, principal, req }) => devices.revoke(principal!, params.id, ctx.clock(), requestIdOf(req)),
  );
  return { router: api.router, devices };
}
