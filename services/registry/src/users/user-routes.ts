import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ROLES } from '@pass/auth';
import { TooManyRequestsError } from '@pass/errors';
import { ApiRouter, type AppContext, idParams, requestIdOf } from '@pass/http';
import type { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { pageRequestOf, respondList } from '../shared/list-response';
import type { UserAccount } from './user-account';
import {
  acceptInvitationBody,
  invitationResponse,
  inviteUserBody,
  type UserView,
  userListQuery,
  userPage,
  userView,
} from './user-schemas';
import { type IssuedInvitation, UserService } from './user-service';

export function toUserView(user: UserAccount): UserView {
  return {
    id: user.id,
    organisationId: user.organisationId,
    organisationKind: user.organisationKind,
    organisationName: user.organisationName,
    venueId: user.venueId,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    orgAdmin: user.orgAdmin,
    status: user.status,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

const userCsv = {
  fileName: 'utilisateurs.csv',
  header: [
    'id',
    'organisation',
    'courriel',
    'nom',
    'role',
    'admin_organisation',
    'lieu_id',
    'statut',
    'derniere_connexion',
  ],
  row: (u: UserAccount) => [
    u.id,
    u.organisationName,
    u.email,
    u.displayName,
    u.role,
    u.orgAdmin ? 'oui' : 'non',
    u.venueId,
    u.status,
    u.lastLoginAt?.toISOString(),
  ],
};

/** Invitation acceptances per IP per minute (tokens are unguessable; this keeps scrypt from being a DoS lever). */
export const INVITATION_ACCEPTS_PER_MINUTE = 20;

export function userRoutes(ctx: AppContext, openapi: OpenAPIRegistry): Router {
  const users = new UserService(ctx.knex);
  const api = new ApiRouter(openapi);
  const tags = ['users'];
  const invitationView = (issued: IssuedInvitation) => ({
    user: toUserView(issued.user),
    invitation: {
      token: issued.token,
      // The web app's page reads the token from the fragment, which browsers never send to servers or logs.
      acceptUrl: `${ctx.config.publicUrl}/invitation#${issued.token}`,
      expiresAt: issued.expiresAt.toISOString(),
    },
  });
  const acceptLimiter = rateLimit({
    windowMs: 60_000,
    limit: INVITATION_ACCEPTS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new TooManyRequestsError('rate_limited', 'Too many attempts.', 60)),
  });

  api.get(
    '/users',
    {
      summary:
        'List members (operators: everyone; organisation admins: their members). `?format=csv` for a CSV file.',
      tags,
      access: ROLES,
      query: userListQuery,
      response: userPage,
    },
    async ({ query, principal, res }) => {
      const page = await users.list(
        principal!,
        { organisationId: query.organisationId, status: query.status, role: query.role, q: query.q },
        pageRequestOf(query),
      );
      return respondList(res, query.format, page, toUserView, userCsv);
    },
  );
  api.get(
    '/users/:id',
    { summary: 'A member', tags, access: ROLES, params: idParams, response: userView },
    async ({ params, principal }) => toUserView(await users.get(principal!, params.id)),
  );
  api.post(
    '/users/invitations',
    {
      summary: 'Invite a person into an organisation with a role (the single-use token is shown once)',
      description:
        'Operator administrators invite into any organisation; organisation admins into their own.',
      tags,
      access: ROLES,
      body: inviteUserBody,
      response: invitationResponse,
      status: 201,
    },
    async ({ body, principal, req }) =>
      invitationView(await users.invite(principal!, body, ctx.clock(), requestIdOf(req))),
  );
  api.post(
    '/users/:id/invitation',
    {
      summary:
        'Send a new invitation link to someone who has not set a password yet (older links stop working)',
      tags,
      access: ROLES,
      params: idParams,
      response: invitationResponse,
      status: 201,
    },
    async ({ params, principal, req }) =>
      invitationView(await users.reinvite(principal!, params.id, ctx.clock(), requestIdOf(req))),
  );
  api.post(
    '/users/:id/deactivate',
    {
      summary: 'Deactivate a member: no more logins, refresh tokens revoked',
      tags,
      access: ROLES,
      params: idParams,
      response: userView,
    },
    async ({ params, principal, req }) =>
      toUserView(await users.deactivate(principal!, params.id, ctx.clock(), requestIdOf(req))),
  );
  api.post(
    '/users/:id/reactivate',
    { summary: 'Reactivate a member', tags, access: ROLES, params: idParams, response: userView },
    async ({ params, principal, req }) =>
      toUserView(await users.reactivate(principal!, params.id, ctx.clock(), requestIdOf(req))),
  );
  api.post(
    '/invitations/accept',
    {
      summary: 'Set your password with the invitation token (single use); then log in',
      tags,
      access: 'public',
      body: acceptInvitationBody,
      response: userView,
      before: [acceptLimiter],
    },
    async ({ body, req }) =>
      toUserView(await users.acceptInvitation(body.token, body.password, ctx.clock(), requestIdOf(req))),
  );
  return api.router;
}
