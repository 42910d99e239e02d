import { z } from 'zod';
import { ROLES } from '@pass/auth';

export const loginBody = z
  .object({
    email: z.email().max(254),
    password: z.string().min(1).max(256),
  })
  .strict()
  .openapi('LoginRequest');

export const refreshBody = z
  .object({ refreshToken: z.string().min(20).max(200) })
  .strict()
  .openapi('RefreshRequest');

export const meResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    orgAdmin: z.boolean(),
    organisation: z.object({ id: z.string(), kind: z.string(), name: z.string() }),
    venueId: z.string().nullable(),
  })
  .openapi('Me');

export const tokenResponse = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    refreshExpiresAt: z.string(),
    user: meResponse,
  })
  .openapi('TokenResponse');

export type TokenResponse = z.infer<typeof tokenResponse>;
export type Me = z.infer<typeof meResponse>;
