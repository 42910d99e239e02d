import { ROLES } from '@pass/auth';
import { listQuerySchema, pageSchema } from '../shared/list-response';
import { z } from '../shared/openapi-zod';
import { USER_STATUSES } from './user-account';

export const inviteUserBody = z
  .object({
    organisationId: z.uuid().optional().describe('Defaults to your own organisation.'),
    email: z.email().max(254),
    displayName: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    venueId: z.uuid().optional().describe('Required for a venue agent, and only for them.'),
    orgAdmin: z.boolean().default(false).describe('May manage the organisation’s members.'),
  })
  .strict()
  .openapi('InviteUser');

export const acceptInvitationBody = z
  .object({
    token: z.string().min(20).max(200),
    password: z.string().min(1).max(256),
  })
  .strict()
  .openapi('AcceptInvitation');

export const userView = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationKind: z.string(),
    organisationName: z.string(),
    venueId: z.string().nullable(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    orgAdmin: z.boolean(),
    status: z.enum(USER_STATUSES),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('User');

export const invitationResponse = z
  .object({
    user: userView,
    invitation: z.object({
      token: z
        .string()
        .describe('Shown once: send it to the person (link to the page that sets the password).'),
      acceptUrl: z.string(),
      expiresAt: z.string(),
    }),
  })
  .openapi('Invitation');

export const userPage = pageSchema(userView, 'UserPage');

export const userListQuery = listQuerySchema
  .extend({
    organisationId: z.uuid().optional(),
    status: z.enum(USER_STATUSES).optional(),
    role: z.enum(ROLES).optional(),
    q: z.string().max(100).optional(),
  })
  .strict();

export type InviteUserInput = z.infer<typeof inviteUserBody>;
export type UserView = z.infer<typeof userView>;
